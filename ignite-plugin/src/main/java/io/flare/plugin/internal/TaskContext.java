package io.flare.plugin.internal;

import io.flare.store.ObjectId;

/** What runs on a worker thread now: the task (or actor) and whether it was cancelled. */
final class TaskContext {
  private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();

  final ObjectId taskId;
  final String actorId;
  final boolean actorRestarted;

  TaskContext(ObjectId taskId, String actorId, boolean actorRestarted) {
    this.taskId = taskId;
    this.actorId = actorId;
    this.actorRestarted = actorRestarted;
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
