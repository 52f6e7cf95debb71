package io.flare.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Warm-up, rounds and medians, the same for every benchmark. */
final class Measure {
  private Measure() {}

  /** One iteration of a throughput loop. */
  @FunctionalInterface
  interface Iteration {
    void run() throws Exception;
  }

  /** The median figures of both sides, and every round of each, for the log. */
  record Outcome(double flare, double peer, double[] flareRounds, double[] peerRounds) {}

  /**
   * Runs unmeasured rounds of each side (at least {@code warmupRounds}, and until each side has run
   * for {@code warmupMillis}: Ignite's paths keep getting faster for seconds), then {@code rounds}
   * measured ones, alternating which side goes first so a drift of the machine falls on both alike,
   * and returns the medians. Closes both trials.
   */
  static Outcome sideBySide(
      Trial flare, Trial peer, int warmupRounds, long warmupMillis, int rounds) throws Exception {
    try (flare;
        peer) {
      long flareNanos = 0;
      long peerNanos = 0;
      long warmupNanos = warmupMillis * 1_000_000;
      for (int i = 0;
          i < warmupRounds || flareNanos < warmupNanos || peerNanos < warmupNanos;
          i++) {
        long t0 = System.nanoTime();
        flare.run();
        long t1 = System.nanoTime();
        peer.run();
        flareNanos += t1 - t0;
        peerNanos += System.nanoTime() - t1;
      }
      double[] f = new double[rounds];
      double[] p = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        if (i % 2 == 0) {
          f[i] = flare.run();
          p[i] = peer.run();
        } else {
          p[i] = peer.run();
          f[i] = flare.run();
        }
      }
      return new Outcome(median(f), median(p), f, p);
    }
  }

  /**
   * Runs {@code iteration} again and again for about {@code roundMillis} and returns operations per
   * second, counting {@code opsPerIteration} operations per iteration.
   */
  static double rate(long roundMillis, int opsPerIteration, Iteration iteration) throws Exception {
    long start = System.nanoTime();
    long end = start + roundMillis * 1_000_000;
    long ops = 0;
    do {
      iteration.run();
      ops += opsPerIteration;
    } while (System.nanoTime() < end);
    return ops / ((System.nanoTime() - start) / 1e9);
  }

  /** Seconds {@code iteration} takes, run once. */
  static double seconds(Iteration iteration) throws Exception {
    long start = System.nanoTime();
    iteration.run();
    return (System.nanoTime() - start) / 1e9;
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** The JVM's used heap in MB after asking for full collections (Cleaners get to run between). */
  static double heapUsedMbAfterGc() throws InterruptedException {
    List<Long> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100); // lets Cleaner actions release what the collection found
      seen.add(
          java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return seen.get(seen.size() - 1) / (1024.0 * 1024.0);
  }
}
