package io.flare.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A private block of consecutive loopback ports for one test cluster, free when handed out, away
 * from Ignite's defaults (47100.., 47500..) and below Linux's ephemeral range (32768..), so the
 * test cluster never merges with other programs' nodes. Blocks handed out in this JVM are never
 * reused.
 */
record PortBlock(int base, int size) {
  private static final int LOW = 20_000;
  private static final int HIGH = 32_000;
  private static final Set<Integer> TAKEN = new HashSet<>();

  /** The {@code i}-th port of the block. */
  int port(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("port " + i + " of a block of " + size);
    }
    return base + i;
  }

  /** A block of {@code size} ports that are all free on 127.0.0.1 right now. */
  static synchronized PortBlock allocate(int size) {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = LOW + rnd.nextInt((HIGH - LOW - size) / 10) * 10;
      if (overlapsTaken(base, size) || !allFree(base, size)) {
        continue;
      }
      for (int p = base; p < base + size; p++) {
        TAKEN.add(p);
      }
      return new PortBlock(base, size);
    }
    throw new IllegalStateException("no block of " + size + " free ports in " + LOW + ".." + HIGH);
  }

  private static boolean overlapsTaken(int base, int size) {
    for (int p = base; p < base + size; p++) {
      if (TAKEN.contains(p)) {
        return true;
      }
    }
    return false;
  }

  private static boolean allFree(int base, int size) {
    for (int p = base; p < base + size; p++) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
      } catch (IOException busy) {
        return false;
      }
    }
    return true;
  }
}
