package io.flare.actor;

import io.flare.api.ActorHandle;
import io.flare.api.spi.FlareRuntimeSpi;
import io.flare.api.spi.FlareRuntimes;
import io.flare.api.spi.RuntimeBound;
import java.io.Serial;
import java.util.Objects;

/**
 * The one {@link ActorHandle} implementation: the actor's id, its class, its host shard and its
 * call limit, bound to the local runtime that sends calls. Small and serializable; every holder
 * calls the same actor.
 */
public final class ActorHandleImpl<A> implements ActorHandle<A>, RuntimeBound {
  @Serial private static final long serialVersionUID = 1L;

  private final String id;
  private final String className;
  private final int shard;
  private final int maxPendingCalls;
  private final int maxTaskRetries;
  private final transient ActorCalls runtime;

  /** What a handle needs from the runtime. */
  public interface ActorCalls extends FlareRuntimeSpi {
    void kill(ActorHandleImpl<?> handle, boolean noRestart);
  }

  public ActorHandleImpl(
      String id,
      String className,
      int shard,
      int maxPendingCalls,
      int maxTaskRetries,
      ActorCalls runtime) {
    this.id = Objects.requireNonNull(id);
    this.className = className;
    this.shard = shard;
    this.maxPendingCalls = maxPendingCalls;
    this.maxTaskRetries = maxTaskRetries;
    this.runtime = runtime;
  }

  @Override
  public String getId() {
    return id;
  }

  /** The actor's class name. */
  public String className() {
    return className;
  }

  public int shard() {
    return shard;
  }

  /** The most calls pending on this handle, or -1 for no limit. */
  public int maxPendingCalls() {
    return maxPendingCalls;
  }

  /** How often a call in flight when the actor died is re-sent; -1 = no limit. */
  public int maxTaskRetries() {
    return maxTaskRetries;
  }

  @Override
  public FlareRuntimeSpi runtime() {
    return runtime;
  }

  private ActorCalls calls() {
    if (runtime != null && runtime.isRunning()) {
      return runtime;
    }
    FlareRuntimeSpi rt = FlareRuntimes.current();
    if (rt instanceof ActorCalls c) {
      return c;
    }
    throw new IllegalStateException("the Flare runtime " + rt + " cannot call actors");
  }

  @Override
  public void kill() {
    kill(true);
  }

  @Override
  public void kill(boolean noRestart) {
    calls().kill(this, noRestart);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ActorHandleImpl<?> h && h.id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    String simple = className == null ? "?" : className.substring(className.lastIndexOf('.') + 1);
    return "ActorHandle(" + simple + ", " + id + ")";
  }

  @Serial
  private Object readResolve() {
    FlareRuntimeSpi rt = FlareRuntimes.currentOrNull();
    return new ActorHandleImpl<>(
        id,
        className,
        shard,
        maxPendingCalls,
        maxTaskRetries,
        rt instanceof ActorCalls c ? c : null);
  }
}
