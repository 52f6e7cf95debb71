package io.flare.api.spi;

import java.util.Map;

/**
 * The options of one task call. Immutable.
 *
 * @param name a display name, or {@code null} for the function's name
 * @param resources resources the task needs on its node, such as {@code CPU -> 1.0}
 * @param maxRetries how often to re-run the task after its node failed; -1 = no limit, {@link
 *     #RUNTIME_DEFAULT} = the runtime's configured default
 * @param retryExceptions also re-run the task (up to {@code maxRetries}) when it throws
 */
public record TaskOptions(
    String name, Map<String, Double> resources, int maxRetries, boolean retryExceptions) {
  /** Ray's default: re-run up to 3 times after a node failure. */
  public static final int DEFAULT_MAX_RETRIES = 3;

  /**
   * {@code maxRetries} of a call that did not set it: the runtime uses its configured default
   * ({@code FlarePluginConfiguration.defaultMaxRetries}, itself {@link #DEFAULT_MAX_RETRIES} unless
   * set).
   */
  public static final int RUNTIME_DEFAULT = -2;

  public static final TaskOptions DEFAULT =
      new TaskOptions(null, Map.of(), DEFAULT_MAX_RETRIES, false);

  public TaskOptions {
    resources = Map.copyOf(resources);
    if (maxRetries < -1 && maxRetries != RUNTIME_DEFAULT) {
      throw new IllegalArgumentException(
          "maxRetries must be >= -1 (-1 = no limit), got " + maxRetries);
    }
  }
}
