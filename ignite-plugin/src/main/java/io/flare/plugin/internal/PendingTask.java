package io.flare.plugin.internal;

import io.flare.api.spi.TaskOptions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The owner's record of a task it submitted: the spec (whose ref arguments are filled in as they
 * become ready), options, how many arguments are still pending, where it was sent, and which owned
 * entries it pins until it finishes.
 */
final class PendingTask {
  final Object[] args;
  final FunctionDescriptor function;
  final TaskOptions options;
  final AtomicInteger remaining;
  final List<Entry> pinned;

  /** The actor this call goes to, or {@code null} for a task. */
  final io.flare.actor.ActorHandleImpl<?> actor;

  /** The caller's sequence number of this actor call. */
  final long seq;

  /**
   * For each ref argument: the object, its owner and, when this node owns it and a task produced
   * it, that task (its lineage), kept so a lost argument can be computed again.
   */
  volatile Dep[] deps;

  /** Re-runs caused by lost arguments or results, bounded to stop a loss loop. */
  final AtomicInteger lossReruns = new AtomicInteger();

  /** A ref argument's identity and lineage. */
  record Dep(io.flare.store.ObjectId id, UUID owner, PendingTask lineage) {}

  /** Refs serialized inside the arguments; held (+1 at their owners) until the task ends. */
  volatile List<Message.Contained> contained = List.of();

  volatile TaskSpec spec;
  volatile UUID node;
  volatile boolean cancelled;

  PendingTask(
      FunctionDescriptor function,
      Object[] args,
      TaskOptions options,
      int remaining,
      List<Entry> pinned) {
    this(function, args, options, remaining, pinned, null, 0);
  }

  PendingTask(
      FunctionDescriptor function,
      Object[] args,
      TaskOptions options,
      int remaining,
      List<Entry> pinned,
      io.flare.actor.ActorHandleImpl<?> actor,
      long seq) {
    this.actor = actor;
    this.seq = seq;
    this.function = function;
    this.args = args;
    this.options = options;
    this.remaining = new AtomicInteger(remaining);
    this.pinned = pinned;
  }

  /**
   * Re-runs allowed after the first attempt: after node failures, and after exceptions if asked.
   */
  boolean mayRetry(int attempt) {
    int max = options.maxRetries();
    return max < 0 || attempt < max;
  }

  String displayName() {
    return options.name() != null ? options.name() : function.displayName();
  }
}
