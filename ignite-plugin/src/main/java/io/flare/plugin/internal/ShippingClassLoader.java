package io.flare.plugin.internal;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * Loads a driver's application classes on a server that does not have them: parent first (the
 * server's own classpath: Ignite, Flare, anything installed there), then the class bytes asked from
 * the driver node over Flare's messages. One loader per driver node, dropped when that node leaves,
 * so two drivers may run different versions of the same class.
 */
final class ShippingClassLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  private static final long TIMEOUT_MS = 30_000;

  private final UUID origin;

  /** The driver node whose classes this loader fetches. */
  UUID origin() {
    return origin;
  }

  private final BiFunction<UUID, String, CompletableFuture<byte[]>> fetch;
  private final java.util.List<String> allowedPrefixes;

  /**
   * With {@code allowedPrefixes} not empty (the node's {@code allowedClassPrefixes}), only classes
   * whose names start with one of them are fetched from drivers: a driver cannot run code of its
   * own on this node outside them.
   */
  ShippingClassLoader(
      ClassLoader parent,
      UUID origin,
      BiFunction<UUID, String, CompletableFuture<byte[]>> fetch,
      java.util.List<String> allowedPrefixes) {
    super("flare-driver-" + origin, parent);
    this.origin = origin;
    this.fetch = fetch;
    this.allowedPrefixes = java.util.List.copyOf(allowedPrefixes);
  }

  /**
   * Waits for the class bytes with a plain monitor wait. {@code CompletableFuture.get} on a worker
   * of Flare's pool would tell the pool it is blocked, and the pool would start a spare thread that
   * then keeps running tasks next to this one: a node with one worker slot ran two tasks at once
   * from its first shipped class on.
   */
  private static byte[] awaitWithoutSpare(java.util.concurrent.CompletableFuture<byte[]> f)
      throws InterruptedException, ExecutionException, TimeoutException {
    Object lock = new Object();
    f.whenComplete(
        (b, e) -> {
          synchronized (lock) {
            lock.notifyAll();
          }
        });
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    synchronized (lock) {
      while (!f.isDone()) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new TimeoutException("no answer in " + TIMEOUT_MS + " ms");
        }
        lock.wait(left);
      }
    }
    return f.get(); // done: does not block
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    if (!allowedPrefixes.isEmpty() && allowedPrefixes.stream().noneMatch(name::startsWith)) {
      throw new ClassNotFoundException(
          name
              + " is not on this node's classpath, and this node takes classes from drivers only"
              + " under FlarePluginConfiguration.allowedClassPrefixes "
              + allowedPrefixes);
    }
    byte[] bytes;
    try {
      bytes = awaitWithoutSpare(fetch.apply(origin, name));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClassNotFoundException(
          name + " (interrupted while fetching it from " + origin + ")");
    } catch (ExecutionException | TimeoutException e) {
      throw new ClassNotFoundException(
          name + " (could not fetch it from driver node " + origin + ": " + e + ")");
    }
    if (bytes == null) {
      throw new ClassNotFoundException(
          name + " (neither this node's classpath nor driver node " + origin + " has it)");
    }
    return defineClass(name, bytes, 0, bytes.length);
  }
}
