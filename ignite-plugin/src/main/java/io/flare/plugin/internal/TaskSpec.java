package io.flare.plugin.internal;

import io.flare.store.ObjectId;
import java.util.UUID;

/**
 * One task as a worker receives it: the id of the object it produces (also the task's id), the
 * owner to report to, the function, and its arguments already resolved to serialized values ({@code
 * byte[]}) or store locations. {@code attempt} counts re-submissions. Immutable.
 */
record TaskSpec(
    ObjectId id,
    UUID owner,
    FunctionDescriptor function,
    Object[] args,
    String name,
    int attempt,
    String actorId,
    long seq,
    long low,
    UUID origin) {

  /** A plain task. */
  TaskSpec(
      ObjectId id,
      UUID owner,
      FunctionDescriptor function,
      Object[] args,
      String name,
      int attempt) {
    this(id, owner, function, args, name, attempt, null, 0, 0, null);
  }

  String displayName() {
    return name != null ? name : function.displayName();
  }

  TaskSpec withAttempt(int a) {
    return new TaskSpec(id, owner, function, args, name, a, actorId, seq, low, origin);
  }

  TaskSpec withArgs(Object[] a) {
    return new TaskSpec(id, owner, function, a, name, attempt, actorId, seq, low, origin);
  }

  /** The node whose classes the function and its values come from. */
  TaskSpec withOrigin(UUID o) {
    return new TaskSpec(id, owner, function, args, name, attempt, actorId, seq, low, o);
  }

  /** An actor call: the actor, the caller's sequence number and its low watermark. */
  TaskSpec forActor(String actor, long sequence, long lowWatermark) {
    return new TaskSpec(
        id, owner, function, args, name, attempt, actor, sequence, lowWatermark, origin);
  }
}
