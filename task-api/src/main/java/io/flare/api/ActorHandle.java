package io.flare.api;

import java.io.Serializable;

/**
 * A handle to an actor: a small serializable value. Any holder — the driver, a task, another actor
 * — calls the same actor. Calls run one at a time; calls made by one thread to one actor run in the
 * order that thread made them.
 *
 * <p>Call a method with {@code handle.task(Counter::increment).remote()}; arguments may be values
 * or {@link ObjectRef}s, as for tasks.
 */
public interface ActorHandle<A> extends ActorCalls<A>, Serializable {

  /** The actor's unique id. */
  String getId();

  /** Same as {@code kill(true)}. */
  void kill();

  /**
   * Stops the actor. Pending and later calls fail with {@link
   * io.flare.api.exception.ActorDiedException}. With {@code noRestart} false, an actor that still
   * has restarts left is re-created (constructor run again); with true it is gone for good. Does
   * not block for the actor to stop.
   */
  void kill(boolean noRestart);
}
