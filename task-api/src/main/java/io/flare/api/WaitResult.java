package io.flare.api;

import java.util.List;

/**
 * The answer of {@link Flare#wait}: the refs that are ready and those that are not, in input order.
 */
public final class WaitResult<T> {
  private final List<ObjectRef<T>> ready;
  private final List<ObjectRef<T>> unready;

  public WaitResult(List<ObjectRef<T>> ready, List<ObjectRef<T>> unready) {
    this.ready = List.copyOf(ready);
    this.unready = List.copyOf(unready);
  }

  /** Refs whose value (or error) is available, in the order they were given. */
  public List<ObjectRef<T>> getReady() {
    return ready;
  }

  /** The other refs, in the order they were given. */
  public List<ObjectRef<T>> getUnready() {
    return unready;
  }

  @Override
  public String toString() {
    return "WaitResult{ready=" + ready.size() + ", unready=" + unready.size() + "}";
  }
}
