package io.flare.api.spi;

import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Finds the runtime that a call through the {@link io.flare.api.Flare} facade goes to: the runtime
 * of the task or actor running on this thread if there is one, otherwise the one {@code
 * Flare.init()} started in this JVM.
 */
public final class FlareRuntimes {
  private static final ThreadLocal<FlareRuntimeSpi> THREAD = new ThreadLocal<>();
  private static volatile FlareRuntimeSpi global;

  private FlareRuntimes() {}

  /** Every runtime running in this JVM (a node's, however it was started). */
  private static final java.util.Set<FlareRuntimeSpi> RUNNING =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** A runtime started in this JVM (by {@code Flare.init} or as an Ignite node's plugin). */
  public static void register(FlareRuntimeSpi runtime) {
    RUNNING.add(runtime);
  }

  /** A runtime that stopped. */
  public static void unregister(FlareRuntimeSpi runtime) {
    RUNNING.remove(runtime);
  }

  /**
   * The runtime for the calling thread, or {@code null} when there is none: the runtime of the task
   * or actor running on this thread, else the one {@code Flare.init} started, else the only one
   * running in this JVM (a server started by Ignite's command line, used from a thread its task or
   * actor started, such as a parallel stream's).
   */
  public static FlareRuntimeSpi currentOrNull() {
    FlareRuntimeSpi rt = THREAD.get();
    if (rt != null && rt.isRunning()) {
      return rt;
    }
    FlareRuntimeSpi g = global;
    if (g != null && g.isRunning()) {
      return g;
    }
    FlareRuntimeSpi only = null;
    for (FlareRuntimeSpi r : RUNNING) {
      if (r.isRunning()) {
        if (only != null) {
          return null; // several nodes in this JVM: which one is meant cannot be told
        }
        only = r;
      }
    }
    return only;
  }

  /**
   * The runtime for the calling thread.
   *
   * @throws IllegalStateException when Flare is not started
   */
  public static FlareRuntimeSpi current() {
    FlareRuntimeSpi rt = currentOrNull();
    if (rt == null) {
      long running = RUNNING.stream().filter(FlareRuntimeSpi::isRunning).count();
      if (running > 1) {
        throw new IllegalStateException(
            "Flare is not initialized on this thread, and "
                + running
                + " Flare nodes run in this JVM: call Flare from a task or actor of one of them,"
                + " through IgniteFlare.attach(ignite) for a node, or call Flare.init() first");
      }
      throw new IllegalStateException(
          "Flare is not initialized: call Flare.init() (or Flare.init(\"flare-client.xml\")) first");
    }
    return rt;
  }

  /** The runtime a ref or handle belongs to, else {@link #current()}. */
  public static FlareRuntimeSpi of(Object value) {
    if (value instanceof RuntimeBound b) {
      FlareRuntimeSpi rt = b.runtime();
      if (rt != null && rt.isRunning()) {
        return rt;
      }
    }
    return current();
  }

  /** Makes {@code runtime} the current one on this thread; returns the previous one to restore. */
  public static FlareRuntimeSpi bindThread(FlareRuntimeSpi runtime) {
    FlareRuntimeSpi prev = THREAD.get();
    THREAD.set(runtime);
    return prev;
  }

  /** Restores what {@link #bindThread} returned. */
  public static void restoreThread(FlareRuntimeSpi previous) {
    if (previous == null) {
      THREAD.remove();
    } else {
      THREAD.set(previous);
    }
  }

  /** The runtime {@code Flare.init()} started, if it is running. */
  public static synchronized boolean isGlobalRunning() {
    return global != null && global.isRunning();
  }

  /** Starts the JVM-wide runtime unless one is running. */
  public static synchronized void startGlobal(String springXmlPathOrUrl) {
    if (global != null && global.isRunning()) {
      return;
    }
    global = null;
    FlareRuntimeFactory factory = loadFactory();
    global = factory.start(springXmlPathOrUrl);
  }

  /** Stops the JVM-wide runtime; idempotent. */
  public static synchronized void shutdownGlobal() {
    FlareRuntimeSpi g = global;
    global = null;
    if (g != null) {
      g.shutdown();
    }
  }

  private static FlareRuntimeFactory loadFactory() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) {
      cl = FlareRuntimes.class.getClassLoader();
    }
    Iterator<FlareRuntimeFactory> it = ServiceLoader.load(FlareRuntimeFactory.class, cl).iterator();
    if (!it.hasNext()) {
      it =
          ServiceLoader.load(FlareRuntimeFactory.class, FlareRuntimes.class.getClassLoader())
              .iterator();
    }
    if (!it.hasNext()) {
      throw new IllegalStateException(
          "No Flare runtime on the classpath: add io.flare:flare-ignite-plugin as a dependency");
    }
    return it.next();
  }
}
