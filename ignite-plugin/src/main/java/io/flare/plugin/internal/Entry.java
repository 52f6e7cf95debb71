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

  /**
   * The background write of a {@code put} value written behind (kept after it ended), else null.
   * Until {@link #result} completes, this node reads the value from the write's chunks.
   */
  volatile io.flare.store.cache.ObjectStore.PendingWrite writing;

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

  /**
   * Refs serialized inside this object's value, released when it is freed; {@link #FREED} once they
   * were. Read and replaced under the entry's lock: a result that lands while the entry is being
   * freed must have its refs released exactly once (twice left the held object owned for good, its
   * count at -1).
   */
  java.util.List<Message.Contained> contained;

  /** {@link #contained} of an entry that was freed (its refs given back). */
  static final java.util.List<Message.Contained> FREED =
      java.util.Collections.unmodifiableList(new java.util.ArrayList<>(0));

  /** Marks the entry freed; returns the refs its value held, for the caller to give back. */
  synchronized java.util.List<Message.Contained> takeContainedForFree() {
    java.util.List<Message.Contained> c = contained;
    contained = FREED;
    return c == FREED ? null : c;
  }

  /**
   * Sets the refs a new value holds; returns those it replaced, or {@link #FREED} if the entry was
   * freed (then nothing is set: the caller gives {@code now} back).
   */
  synchronized java.util.List<Message.Contained> swapContained(
      java.util.List<Message.Contained> now) {
    java.util.List<Message.Contained> old = contained;
    if (old != FREED) {
      contained = now;
    }
    return old;
  }

  /** Puts {@code old} back if {@code now} is still set; false if the entry was freed meanwhile. */
  synchronized boolean restoreContained(
      java.util.List<Message.Contained> now, java.util.List<Message.Contained> old) {
    if (contained != now) {
      return false;
    }
    contained = old;
    return true;
  }

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
