package io.flare.plugin.internal;

import io.flare.api.spi.FlareRuntimeSpi;
import io.flare.api.spi.FlareRuntimes;
import io.flare.store.ObjectId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;

/**
 * Runs the tasks sent to this node on Flare's own worker pool, never on Ignite's pools.
 *
 * <p>The pool is a {@link ForkJoinPool} with {@code workerThreads} parallelism. A task that blocks
 * in {@code Flare.get} waits through {@link java.util.concurrent.CompletableFuture#get}, which
 * tells the pool it is blocked ({@code ForkJoinPool.managedBlock}); the pool then starts a spare
 * thread (up to {@code maxWorkerThreads}) so the tasks it waits for can run. Nested tasks therefore
 * never deadlock on their own pool.
 */
final class Worker {
  private final FlareNode node;
  private final ForkJoinPool pool;
  private final ConcurrentHashMap<ObjectId, Run> runs = new ConcurrentHashMap<>();

  /**
   * Tasks in arrival order. The pool only runs "take the oldest" steps: a pool thread that submits
   * work would otherwise serve its own queue first, so tasks made ready by a worker would overtake
   * older ones.
   */
  private final java.util.concurrent.ConcurrentLinkedQueue<Run> queue =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private final Runnable takeOldest =
      () -> {
        Run r = queue.poll();
        if (r != null) {
          r.run();
        }
      };

  Worker(FlareNode node, ForkJoinPool pool) {
    this.node = node;
    this.pool = pool;
  }

  void execute(TaskSpec spec) {
    Run run = new Run(spec);
    runs.put(spec.id(), run);
    queue.add(run);
    pool.execute(takeOldest);
  }

  /** Cancels a queued or running task: a running one is interrupted. */
  void cancel(ObjectId id) {
    Run run = runs.get(id);
    if (run != null) {
      run.cancelled = true;
      Thread t = run.thread;
      if (t != null) {
        t.interrupt();
      }
    }
  }

  /** Where actor mailboxes run: the same pool (mailboxes keep their own order). */
  java.util.concurrent.Executor executor() {
    return pool;
  }

  void stop() {
    // the pool belongs to FlareExecutors, which shuts it down
  }

  private final class Run implements Runnable {
    final TaskSpec spec;
    volatile boolean cancelled;
    volatile Thread thread;

    Run(TaskSpec spec) {
      this.spec = spec;
    }

    @Override
    public void run() {
      Result result;
      if (cancelled) {
        result = node.cancelledResult(spec.displayName(), spec.id());
      } else {
        thread = Thread.currentThread();
        FlareRuntimeSpi prevRt = FlareRuntimes.bindThread(node);
        TaskContext prevCtx =
            TaskContext.enter(new TaskContext(spec.id(), null, false, spec.origin()));
        // The task's classes as context class loader: libraries that load classes by name find
        // them, and threads the task starts inherit it (Flare's static API then finds the driver
        // whose classes they run).
        ClassLoader prevCl = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(node.space(spec.origin()).loader);
        try {
          result = node.runTask(spec);
        } finally {
          Thread.currentThread().setContextClassLoader(prevCl);
          thread = null;
          TaskContext.exit(prevCtx);
          FlareRuntimes.restoreThread(prevRt);
          Thread.interrupted(); // never leave an interrupt behind on a pooled thread
          if (cancelled) {
            result = node.cancelledResult(spec.displayName(), spec.id());
          }
        }
      }
      runs.remove(spec.id());
      node.reportResult(spec, result);
    }
  }
}
