package io.flare.plugin;

import io.flare.api.ActorHandle;
import io.flare.api.ObjectRef;
import io.flare.api.RuntimeContext;
import io.flare.api.WaitResult;
import io.flare.api.spi.FlareRuntimeSpi;
import io.flare.api.spi.RuntimeCalls;
import io.flare.plugin.internal.FlareNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The operations of {@link io.flare.api.Flare} as instance methods, for code that already holds an
 * {@code Ignite}: {@code FlareRuntime flare = IgniteFlare.attach(ignite);}. Same contracts as the
 * facade's methods of the same names; {@code task}/{@code actor} overloads come from {@link
 * RuntimeCalls}. Thread-safe.
 */
public final class FlareRuntime implements RuntimeCalls {
  private final FlareNode node;

  FlareRuntime(FlareNode node) {
    this.node = node;
  }

  @Override
  public FlareRuntimeSpi spi() {
    return node;
  }

  public <T> ObjectRef<T> put(T value) {
    return node.put(value);
  }

  public <T> T get(ObjectRef<T> ref) {
    return node.get(ref, Long.MAX_VALUE);
  }

  public <T> T get(ObjectRef<T> ref, long timeoutMs) {
    return node.get(ref, timeoutMs);
  }

  public <T> List<T> get(List<ObjectRef<T>> refs) {
    return node.get(refs, Long.MAX_VALUE);
  }

  public <T> List<T> get(List<ObjectRef<T>> refs, long timeoutMs) {
    return node.get(refs, timeoutMs);
  }

  public <T> WaitResult<T> wait(List<ObjectRef<T>> refs, int numReturns, long timeoutMs) {
    return node.wait(refs, numReturns, timeoutMs);
  }

  public <T> WaitResult<T> wait(List<ObjectRef<T>> refs, int numReturns) {
    return node.wait(refs, numReturns, Long.MAX_VALUE);
  }

  /** As {@link io.flare.api.Flare#wait(List, int, long, boolean)}. */
  public <T> WaitResult<T> wait(
      List<ObjectRef<T>> refs, int numReturns, long timeoutMs, boolean fetchLocal) {
    return node.wait(refs, numReturns, timeoutMs, fetchLocal);
  }

  public <T> WaitResult<T> wait(List<ObjectRef<T>> refs) {
    return node.wait(refs, Objects.requireNonNull(refs, "refs").size(), Long.MAX_VALUE);
  }

  public void cancel(ObjectRef<?> ref) {
    node.cancel(ref);
  }

  public <A> Optional<ActorHandle<A>> getActor(String name) {
    return node.getActor(name);
  }

  public RuntimeContext getRuntimeContext() {
    return node.getRuntimeContext();
  }

  /** True while Flare runs on the node. */
  public boolean isInitialized() {
    return node.isRunning();
  }
}
