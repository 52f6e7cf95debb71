package io.flare.api.spi;

import io.flare.api.ActorHandle;
import io.flare.api.ObjectRef;
import io.flare.api.RuntimeContext;
import io.flare.api.WaitResult;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * The operations behind {@link io.flare.api.Flare}, implemented by a runtime. Implementations
 * validate their arguments (the facade passes them through) and are thread-safe.
 */
public interface FlareRuntimeSpi {

  <T> ObjectRef<T> put(T value);

  /**
   * {@code timeoutMs < 0} is an {@link IllegalArgumentException}; use {@link Long#MAX_VALUE} for no
   * timeout.
   */
  <T> T get(ObjectRef<T> ref, long timeoutMs);

  <T> List<T> get(List<ObjectRef<T>> refs, long timeoutMs);

  <T> WaitResult<T> wait(List<ObjectRef<T>> refs, int numReturns, long timeoutMs);

  /**
   * {@code wait} that, with {@code fetchLocal}, counts a ref ready once its value is on this node;
   * a runtime without a store of its own may ignore it (the default).
   */
  default <T> WaitResult<T> wait(
      List<ObjectRef<T>> refs, int numReturns, long timeoutMs, boolean fetchLocal) {
    return wait(refs, numReturns, timeoutMs);
  }

  void cancel(ObjectRef<?> ref);

  /** Submits a task; {@code function} is one of the {@code FlareFunc*} interfaces. */
  <R> ObjectRef<R> submitTask(Serializable function, Object[] args, TaskOptions options);

  <A> ActorHandle<A> createActor(Serializable constructor, Object[] args, ActorOptions options);

  /** Calls {@code method} (whose first parameter is the actor) on {@code actor}. */
  <R> ObjectRef<R> submitActorTask(ActorHandle<?> actor, Serializable method, Object[] args);

  <A> Optional<ActorHandle<A>> getActor(String name);

  RuntimeContext getRuntimeContext();

  /** True until {@link #shutdown()}. */
  boolean isRunning();

  /** Stops what this runtime started; idempotent. */
  void shutdown();
}
