package io.flare.store.cache;

import io.flare.api.exception.FlareException;

/**
 * Items {@code from..to-1} shared out among the calling thread and up to {@code threads - 1} of the
 * store's threads: each takes the next item not yet taken and works on it, until none is left or
 * one failed. The caller waits for the helpers that started (so their effects are visible to it);
 * helpers that had not started by then do nothing. The first failure is thrown.
 */
final class Parallel {
  /** Work on item {@code i} of a run. */
  @FunctionalInterface
  interface IndexedWork {
    void run(int i) throws Exception;
  }

  private final java.util.concurrent.Executor pool;
  private final int to;
  private final IndexedWork work;
  private final java.util.concurrent.atomic.AtomicInteger next;
  private int running;
  private boolean closed;
  private Throwable failure;

  Parallel(java.util.concurrent.Executor pool, int from, int to, IndexedWork work) {
    this.pool = pool;
    this.to = to;
    this.work = work;
    this.next = new java.util.concurrent.atomic.AtomicInteger(from);
  }

  void run(int threads) throws java.io.IOException {
    for (int i = 1; i < threads; i++) {
      try {
        pool.execute(this::help);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        break; // the node is stopping: the caller does the rest alone
      }
    }
    work();
    Throwable t;
    synchronized (this) {
      closed = true;
      boolean interrupted = false;
      while (running > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      t = failure;
    }
    if (t instanceof java.io.IOException io) {
      throw io;
    } else if (t instanceof RuntimeException re) {
      throw re;
    } else if (t instanceof Error err) {
      throw err;
    } else if (t != null) {
      throw new FlareException(t.toString(), t);
    }
  }

  private void help() {
    synchronized (this) {
      if (closed) {
        return;
      }
      running++;
    }
    try {
      work();
    } finally {
      synchronized (this) {
        running--;
        notifyAll();
      }
    }
  }

  private void work() {
    for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
      try {
        work.run(i);
      } catch (Throwable t) {
        next.set(to);
        synchronized (this) {
          if (failure == null) {
            failure = t;
          }
        }
        return;
      }
    }
  }
}
