package io.flare.api.spi;

import java.util.Map;

/**
 * The options of one task call. Immutable.
 *
 * @param name a display name, or {@code null} for the function's name
 * @param resources resources the task needs on its node, such as {@code CPU -> 1.0}
 * @param maxRetries how often to re-run the task after its node failed; -1 = no limit
 * @param retryExceptions also re-run the task (up to {@code maxRetries}) when it throws
 */
public record TaskOptions(
    String name, Map<String, Double> resources, int maxRetries, boolean retryExceptions) {
  /** Ray's default: re-run up to 3 times after a node failure. */
  public static final int DEFAULT_MAX_RETRIES = 3;

  public static final TaskOptions DEFAULT =
      new TaskOptions(null, Map.of(), DEFAULT_MAX_RETRIES, false);

  public TaskOptions {
    resources = Map.copyOf(resources);
    if (maxRetries < -1) {
      throw new IllegalArgumentException(
          "maxRetries must be >= -1 (-1 = no limit), got " + maxRetries);
    }
  }
}
