package io.flare.bench;

import io.flare.api.ObjectRef;
import io.flare.plugin.FlareRuntime;
import io.flare.plugin.internal.FlareNode;
import io.flare.plugin.internal.IgniteRuntimeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code single_client_put_gigabytes} and {@code single_client_get_gigabytes}: GB/s (10^9 bytes) of
 * one {@code flare.put} of a {@code long[]} of {@value #BYTES} bytes (100 MiB; Ray uses 800 MB),
 * and of one {@code flare.get} of such a value put just before. Flare streams the array into its
 * off-heap store in chunks (4 MiB by default) and back. With Flare's default settings the put
 * returns once the chunks are made in the driver's heap and writes them to the store in the
 * background ({@code putWriteBehindSize}); {@code single_client_put_gigabytes} times the put until
 * it returns (Ray's figure: its put returns once the value is in the local object store), {@code
 * single_client_put_gigabytes_stored} until every chunk is stored, and every round's value is
 * stored in full before the next round begins, outside the timing. The node that put it also keeps
 * the chunks in its chunk cache on the heap (as Ray's driver reads its own put from its node's
 * object store), so {@code get} right after {@code put} decodes from the heap. {@code
 * single_client_get_gigabytes_cold} empties the driver's chunk cache before the timed {@code get}:
 * every chunk is read from the off-heap store (embedded) or fetched from the server (client JVM),
 * which is what the first read of a value made elsewhere costs. Peer: a raw single-entry {@code
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
  private final boolean cold;
  private final boolean untilStored;

  private SingleClientGigabytes(
      String name, boolean put, boolean cold, boolean untilStored, Side side) {
    super(name, "GB/s", side);
    this.put = put;
    this.cold = cold;
    this.untilStored = untilStored;
  }

  /** Until {@code put} returns (as Ray's figure: the value is in the driver's node). */
  public static SingleClientGigabytes put(Side side) {
    return new SingleClientGigabytes("single_client_put_gigabytes", true, false, false, side);
  }

  /**
   * Until the value is stored in the cluster's store: {@code put}, then {@code awaitStored} (the
   * same as {@code put} alone when the put was not written behind).
   */
  public static SingleClientGigabytes putStored(Side side) {
    return new SingleClientGigabytes("single_client_put_gigabytes_stored", true, false, true, side);
  }

  public static SingleClientGigabytes get(Side side) {
    return new SingleClientGigabytes("single_client_get_gigabytes", false, false, false, side);
  }

  /** A get with the driver's chunk cache emptied first. */
  public static SingleClientGigabytes getCold(Side side) {
    return new SingleClientGigabytes("single_client_get_gigabytes_cold", false, true, false, side);
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
    FlareNode node = IgniteRuntimeFactory.nodeOf(driver.ignite());
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
          awaitFreed(driver);
          long t0 = System.nanoTime();
          last = flare.put(value);
          long nanos = untilStored ? -1 : System.nanoTime() - t0;
          // every round's value is stored in full before the next round (outside the timing of
          // the put row): a value dropped while written would be given up, saving its write
          node.awaitStored(last, 60_000);
          return gbPerSecond(untilStored ? System.nanoTime() - t0 : nanos);
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
        awaitFreed(driver);
        held = flare.put(value);
        node.awaitStored(held, 60_000); // a get of a stored value, as a later get would be
        if (cold) {
          IgniteRuntimeFactory.nodeOf(driver.ignite()).store().clearChunkCache();
        }
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
        peer.removeLarge(); // a new entry, as Flare writes a new value (not an overwrite)
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

  /**
   * Waits (outside the timing) until the previous round's value has left the store: Flare frees a
   * dropped value a grace period (2 s) after its last ref goes, and that removal, running in the
   * background, would otherwise land in a later round's timing. Gives up after 10 s.
   */
  private static void awaitFreed(Driver driver) throws InterruptedException {
    var store = IgniteRuntimeFactory.nodeOf(driver.ignite()).store();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (store.size() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
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
