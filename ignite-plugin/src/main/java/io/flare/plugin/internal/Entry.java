package io.flare.plugin.internal;

import io.flare.store.ObjectId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An object this node owns: its result (once known), the task producing it (null for {@code put}
 * values), and what keeps it alive: live {@code ObjectRef} instances here ({@code refs}) and pins
 * (pending tasks that use it, refs that left this node inside other values).
 */
final class Entry {
  final ObjectId id;
  final PendingTask task;

  /** The result; replaced by a fresh future while a lost value is computed again. */
  volatile CompletableFuture<Result> result = new CompletableFuture<>();

  final AtomicInteger refs = new AtomicInteger();
  final AtomicInteger pins = new AtomicInteger();

  /**
   * References held elsewhere: +1 for each node that holds live instances of a ref to it (a
   * borrower) and for each live value that contains a ref to it. Signed: deltas may arrive out of
   * order.
   */
  final AtomicInteger remote = new AtomicInteger();

  /** Set once {@link #remote} changed: freeing then waits a grace period for late deltas. */
  volatile boolean everRemote;

  /** Refs serialized inside this object's value, released when it is freed. */
  volatile java.util.List<Message.Contained> contained;

  Entry(ObjectId id, PendingTask task) {
    this.id = id;
    this.task = task;
  }

  boolean isDone() {
    return result.isDone();
  }

  boolean isReferenced() {
    return refs.get() > 0 || pins.get() > 0 || remote.get() != 0;
  }
}
