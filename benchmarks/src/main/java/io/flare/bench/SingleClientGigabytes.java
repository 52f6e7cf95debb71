package io.flare.bench;

import io.flare.api.ObjectRef;
import io.flare.plugin.FlareRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code single_client_put_gigabytes} and {@code single_client_get_gigabytes}: GB/s (10^9 bytes) of
 * one {@code flare.put} of a {@code long[]} of {@value #BYTES} bytes (100 MiB; Ray uses 800 MB),
 * and of one {@code flare.get} of such a value put before. Flare streams the array into its
 * off-heap store in chunks (4 MiB by default) and back. Peer: a raw single-entry {@code
 * IgniteCache<Integer, byte[]>.put}/{@code get} of a {@code byte[]} of the same size, on a data
 * region of 512 MiB, from the same node. A round is one operation; before each, outside the timing,
 * both sides collect garbage (so the previous round's dropped value can be freed from Flare's
 * store). Two warm-up rounds (1 s at least) and {@code bench.rounds} measured ones.
 *
 * <ul>
 *   <li>embedded: the driver is the main cluster's server node, the value stays in its store.
 *   <li>{@code _client_jvm}: the driver is a client node in the benchmark JVM, joined to a server
 *       node in a separate JVM ({@link ServerJvm}: heap 1 GiB, store 768 MiB), so every byte
 *       crosses Ignite's communication SPI between two processes. Both sides use the same nodes,
 *       hence the same communication settings (socket buffers sized by the OS).
 * </ul>
 *
 * <p>Run: {@code benchmarks/run 'single_client_*_gigabytes*'}.
 */
public final class SingleClientGigabytes extends PairedBenchmark {
  static final int LONGS = 100 << 17; // 100 MiB of longs
  static final long BYTES = 8L * LONGS;

  private final boolean put;

  private SingleClientGigabytes(boolean put, Side side) {
    super(put ? "single_client_put_gigabytes" : "single_client_get_gigabytes", "GB/s", side);
    this.put = put;
  }

  public static SingleClientGigabytes put(Side side) {
    return new SingleClientGigabytes(true, side);
  }

  public static SingleClientGigabytes get(Side side) {
    return new SingleClientGigabytes(false, side);
  }

  @Override
  protected String baseline(Peer peer) {
    return peer.label(put ? Peer.Op.PUT_LARGE : Peer.Op.GET_LARGE);
  }

  @Override
  protected long warmupMillis(Settings settings) {
    return Math.min(settings.warmupMillis(), 1000);
  }

  @Override
  protected Trial flare(Driver driver, Settings settings) throws Exception {
    FlareRuntime flare = driver.flare();
    long[] value = new long[LONGS];
    for (int i = 0; i < LONGS; i++) {
      value[i] = i;
    }
    if (put) {
      return new Trial() {
        private ObjectRef<long[]> last;

        @Override
        public double run() throws Exception {
          last = null; // the previous round's value may go
          Measure.heapUsedMbAfterGc();
          long t0 = System.nanoTime();
          last = flare.put(value);
          return gbPerSecond(System.nanoTime() - t0);
        }

        @Override
        public void close() {
          last = null;
        }
      };
    }
    return new Trial() {
      private ObjectRef<long[]> held;
      private final List<Double> rereads = new ArrayList<>();

      @Override
      public double run() throws Exception {
        held = null; // the previous round's value may go
        Measure.heapUsedMbAfterGc();
        held = flare.put(value);
        long t0 = System.nanoTime();
        long[] got = flare.get(held);
        long nanos = System.nanoTime() - t0;
        check(got.length == LONGS && got[LONGS - 1] == LONGS - 1);
        got = null;
        long t1 = System.nanoTime();
        got = flare.get(held);
        rereads.add(gbPerSecond(System.nanoTime() - t1));
        check(got.length == LONGS);
        return gbPerSecond(nanos);
      }

      @Override
      public void close() {
        held = null;
        double[] r = rereads.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.printf(
            Locale.ROOT,
            "  %s: flare, second get of the same ref (not the row's figure): median %s GB/s%n",
            name(),
            Report.figure(Measure.median(r)));
      }
    };
  }

  @Override
  protected Trial peer(Driver driver, Settings settings) throws Exception {
    Peer peer = driver.peer();
    byte[] value = new byte[(int) BYTES];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    if (put) {
      return () -> {
        Measure.heapUsedMbAfterGc();
        long t0 = System.nanoTime();
        peer.putLarge(value);
        return gbPerSecond(System.nanoTime() - t0);
      };
    }
    peer.putLarge(value);
    return () -> {
      Measure.heapUsedMbAfterGc();
      long t0 = System.nanoTime();
      byte[] got = peer.getLarge();
      long nanos = System.nanoTime() - t0;
      check(got.length == BYTES);
      return gbPerSecond(nanos);
    };
  }

  private static double gbPerSecond(long nanos) {
    return BYTES / (double) nanos;
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw new IllegalStateException("the value read back is not the value written");
    }
  }
}
