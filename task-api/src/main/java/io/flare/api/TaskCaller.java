package io.flare.api;

import io.flare.api.spi.FlareRuntimeSpi;
import io.flare.api.spi.TaskOptions;
import java.io.Serializable;
import java.util.Map;

/**
 * A task call being prepared; {@link #remote()} submits it. Options return {@code this}. Not
 * thread-safe; each {@code remote()} submits a new task.
 */
public final class TaskCaller<R> {
  private final FlareRuntimeSpi runtime;
  private final Serializable function;
  private final Object[] args;
  private String name;
  private Map<String, Double> resources = Map.of();
  private int maxRetries = TaskOptions.RUNTIME_DEFAULT; // the node's defaultMaxRetries (3)
  private boolean retryExceptions;

  /** For runtimes and generated code; applications get callers from {@code Flare.task}. */
  public TaskCaller(FlareRuntimeSpi runtime, Serializable function, Object[] args) {
    this.runtime = runtime;
    this.function = CallArgs.requireFunction(function);
    this.args = args;
  }

  /**
   * Submits the task; returns at once with a ref to its result. The task starts when every {@link
   * ObjectRef} argument is ready.
   *
   * @throws IllegalArgumentException when the function is a lambda that captures variables
   * @throws io.flare.api.exception.FlareSerializationException when an argument cannot be
   *     serialized
   * @throws IllegalStateException when Flare is not initialized
   */
  public ObjectRef<R> remote() {
    return CallArgs.runtime(runtime)
        .submitTask(function, args, new TaskOptions(name, resources, maxRetries, retryExceptions));
  }

  /** A display name for the task (in errors and logs). */
  public TaskCaller<R> setName(String name) {
    this.name = name;
    return this;
  }

  /** A resource the task needs on the node it runs on, such as {@code ("CPU", 1.0)}. */
  public TaskCaller<R> setResource(String name, double quantity) {
    this.resources = CallArgs.addResource(resources, name, quantity);
    return this;
  }

  /** How often to re-run the task after its node failed (default 3; -1 = no limit). */
  public TaskCaller<R> setMaxRetries(int maxRetries) {
    if (maxRetries < -1) {
      throw new IllegalArgumentException(
          "maxRetries must be >= -1 (-1 = no limit), got " + maxRetries);
    }
    this.maxRetries = maxRetries;
    return this;
  }

  /** Also re-run the task, up to {@code maxRetries} times, when it throws (default false). */
  public TaskCaller<R> setRetryExceptions(boolean retryExceptions) {
    this.retryExceptions = retryExceptions;
    return this;
  }
}
