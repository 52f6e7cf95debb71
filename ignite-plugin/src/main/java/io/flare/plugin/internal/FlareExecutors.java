package io.flare.plugin.internal;

import io.flare.plugin.FlarePluginConfiguration;
import io.flare.store.cache.ObjectStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ignite.plugin.Extension;

/**
 * Flare's own threads on a node, created and registered as an Ignite extension in {@code
 * initExtensions}, so tasks never run on (or starve) Ignite's public, system or service pools.
 *
 * <ul>
 *   <li>{@code workers} (servers only): a {@link ForkJoinPool} of {@code workerThreads} that runs
 *       tasks and actor methods; a task blocked in {@code Flare.get} lends its slot (managed
 *       blocking), up to {@code maxWorkerThreads} threads in all.
 *   <li>{@code io}: two threads that flush message batches and run callbacks.
 *   <li>{@code store}: threads that read and write the chunks of large values alongside the calling
 *       thread (a few per value, so several cores decode one array, and several chunks are in
 *       flight over the network); they wait only for Ignite.
 *   <li>{@code recovery}: threads for work that may block on the cluster (lineage re-runs,
 *       lost-partition handling, freeing a departed node's objects), kept off {@code io}.
 * </ul>
 */
public final class FlareExecutors implements Extension {
  final ForkJoinPool workers;
  final ThreadPoolExecutor io;
  final ExecutorService recovery;
  final ThreadPoolExecutor store;

  /** The executors whose thread this is, if any. */
  private static final ThreadLocal<FlareExecutors> OWN = new ThreadLocal<>();

  public FlareExecutors(
      FlarePluginConfiguration config, String nodeName, ClassLoader loader, boolean client) {
    String name = nodeName == null ? "default" : nodeName;
    AtomicInteger seq = new AtomicInteger();
    this.workers =
        client
            ? null
            : new ForkJoinPool(
                config.effectiveWorkerThreads(),
                p -> {
                  ForkJoinWorkerThread t =
                      ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                  t.setName("flare-worker-" + name + "-" + seq.incrementAndGet());
                  t.setContextClassLoader(loader);
                  t.setDaemon(true);
                  return t;
                },
                null,
                true,
                0,
                config.getMaxWorkerThreads(),
                1,
                p -> true,
                60,
                TimeUnit.SECONDS);
    this.io = fixedPool(2, threads("io", name, seq, loader));
    this.store =
        fixedPool(
            Math.max(ObjectStore.PIPELINE, 2 * Runtime.getRuntime().availableProcessors()),
            threads("store", name, seq, loader));
    this.recovery = Executors.newCachedThreadPool(threads("recovery", name, seq, loader));
  }

  /** A pool of {@code n} threads that end after 30 s idle. */
  private static ThreadPoolExecutor fixedPool(int n, ThreadFactory factory) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Daemon threads named {@code flare-<kind>-<node>-<n>}, with the node's class loader. */
  private ThreadFactory threads(String kind, String node, AtomicInteger seq, ClassLoader loader) {
    return r -> {
      Thread t = new Thread(marked(r), "flare-" + kind + "-" + node + "-" + seq.incrementAndGet());
      t.setDaemon(true);
      t.setContextClassLoader(loader);
      return t;
    };
  }

  private Runnable marked(Runnable r) {
    return () -> {
      OWN.set(this);
      r.run();
    };
  }

  /**
   * Stops every pool, then waits (at most 10 s in all) for the threads that touch Ignite's caches
   * to finish: Flare stops (in {@code onIgniteStop}) before Ignite releases its off-heap memory,
   * and a thread still scanning a partition after that would read freed memory. Task threads are
   * not waited for: user code may not end on interrupt.
   */
  public void shutdown() {
    if (workers != null) {
      workers.shutdownNow();
    }
    io.shutdownNow();
    recovery.shutdownNow();
    store.shutdownNow();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (ExecutorService pool : new ExecutorService[] {recovery, store, io}) {
      if (OWN.get() == this) {
        return; // stopping from one of these threads: it would wait for itself
      }
      try {
        pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
