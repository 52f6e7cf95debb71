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
