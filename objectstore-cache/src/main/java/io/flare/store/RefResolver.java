package io.flare.store;

import io.flare.api.ObjectRef;
import io.flare.api.spi.FlareRuntimeSpi;
import java.util.concurrent.CompletableFuture;

/** The runtime a {@link ObjectRefImpl} belongs to: it answers reads and counts live refs. */
public interface RefResolver extends FlareRuntimeSpi {

  /** A future of the ref's value; completes on Flare's executor, never on an Ignite thread. */
  <T> CompletableFuture<T> toFuture(ObjectRef<T> ref);

  /**
   * Called once for every ref instance that comes to life on this node (created or deserialized).
   */
  void track(ObjectRefImpl<?> ref);
}
