package io.flare.api;

import io.flare.api.spi.FlareRuntimes;
import java.io.Serializable;

/**
 * An actor method call being prepared; {@link #remote()} sends it. Calls made by one thread to one
 * actor run in the order that thread made them.
 */
public final class ActorTaskCaller<R> {
  private final ActorHandle<?> actor;
  private final Serializable method;
  private final Object[] args;

  /** For runtimes and generated code; applications get callers from {@code ActorHandle.task}. */
  public ActorTaskCaller(ActorHandle<?> actor, Serializable method, Object[] args) {
    this.actor = actor;
    this.method = CallArgs.requireFunction(method);
    this.args = args;
  }

  /**
   * Sends the call; returns at once with a ref to its result. Fails (through the ref) with {@link
   * io.flare.api.exception.ActorDiedException} when the actor is dead.
   */
  public ObjectRef<R> remote() {
    return FlareRuntimes.of(actor).submitActorTask(actor, method, args);
  }
}
