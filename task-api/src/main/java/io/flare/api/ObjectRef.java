package io.flare.api;

import java.io.Serializable;
import java.util.concurrent.CompletableFuture;

/**
 * A future value in Flare's object store: the result of a task or actor call, or a value stored
 * with {@link Flare#put}. A ref may be passed to tasks (a top-level ref argument is resolved to its
 * value before the task runs), nested inside other values, stored in an actor, and used wherever it
 * arrives: every holder reads the same value.
 *
 * <p>Two refs are {@code equals} (and hash alike) when their ids are equal.
 */
public interface ObjectRef<T> extends Serializable {

  /** Blocks until the value is ready and returns it. Same as {@link Flare#get(ObjectRef)}. */
  T get();

  /**
   * Blocks at most {@code timeoutMs} milliseconds for the value.
   *
   * @throws io.flare.api.exception.GetTimeoutException when the time runs out
   * @throws IllegalArgumentException when {@code timeoutMs} is negative
   */
  T get(long timeoutMs);

  /** The unique, stable id of this object. */
  String getId();

  /**
   * A future that completes with the value when it is ready, or exceptionally with the exception
   * that {@link #get()} would throw. Never blocks; callbacks run on Flare's own executor.
   */
  CompletableFuture<T> toFuture();
}
