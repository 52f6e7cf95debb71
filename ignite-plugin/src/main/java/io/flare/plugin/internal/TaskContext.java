package io.flare.plugin.internal;

import io.flare.store.ObjectId;

/** What runs on a worker thread now: the task (or actor) and whether it was cancelled. */
final class TaskContext {
  private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();

  final ObjectId taskId;
  final String actorId;
  final boolean actorRestarted;

  /** The node whose application classes this code comes from (null: this node's). */
  final java.util.UUID origin;

  TaskContext(ObjectId taskId, String actorId, boolean actorRestarted, java.util.UUID origin) {
    this.taskId = taskId;
    this.actorId = actorId;
    this.actorRestarted = actorRestarted;
    this.origin = origin;
  }

  static TaskContext current() {
    return CURRENT.get();
  }

  static TaskContext enter(TaskContext ctx) {
    TaskContext prev = CURRENT.get();
    CURRENT.set(ctx);
    return prev;
  }

  static void exit(TaskContext prev) {
    if (prev == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(prev);
    }
  }
}
