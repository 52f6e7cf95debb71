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
  private final BiFunction<UUID, String, CompletableFuture<byte[]>> fetch;

  ShippingClassLoader(
      ClassLoader parent, UUID origin, BiFunction<UUID, String, CompletableFuture<byte[]>> fetch) {
    super("flare-driver-" + origin, parent);
    this.origin = origin;
    this.fetch = fetch;
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes;
    try {
      bytes = fetch.apply(origin, name).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
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
