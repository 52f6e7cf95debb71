package io.flare.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import io.flare.api.WaitResult;
import io.flare.plugin.internal.FlareNode;
import io.flare.plugin.internal.IgniteRuntimeFactory;
import io.flare.plugin.testing.Await;
import io.flare.plugin.testing.TestCluster;
import io.flare.store.cache.ObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code put} of a large primitive array returns before the value is stored
 * (FlarePluginConfiguration.putWriteBehindSize): the owner reads it at once, every other reader
 * once it is stored, and values freed or given up while written leave nothing behind.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WriteBehindTest {
  /** 32 MiB of longs. */
  static final int LONGS = 4 << 20;

  /** Its chunks: 8 bytes a long and a 5-byte header, in chunks of the default size. */
  static final int CHUNKS =
      (int)
          ((8L * LONGS + 5 + FlarePluginConfiguration.DEFAULT_CHUNK_SIZE - 1)
              / FlarePluginConfiguration.DEFAULT_CHUNK_SIZE);

  /** Reads the value of a ref it was handed inside a list (a borrower's read, on any node). */
  public static long sumOfRef(List<ObjectRef<long[]>> refs) {
    return Fns.sumLongs(Flare.get(refs.get(0)));
  }

  /** A 64 MiB store. */
  private static final Consumer<IgniteConfiguration> SMALL_STORE =
      cfg ->
          ((FlarePluginConfiguration) cfg.getPluginConfigurations()[0]).setStoreMaxSize(64L << 20);

  private static Consumer<IgniteConfiguration> writeBehind(long bytes) {
    return cfg ->
        ((FlarePluginConfiguration) cfg.getPluginConfigurations()[0]).setPutWriteBehindSize(bytes);
  }

  @Test
  void aLargePut_isReadAtOnceByItsOwner_andByTasksAndBorrowersOnceStored() {
    try (TestCluster c = TestCluster.start("wb-read", 2)) {
      FlareRuntime flare = IgniteFlare.attach(c.node(0));
      FlareNode node = IgniteRuntimeFactory.nodeOf(c.node(0));
      long[] value = Fns.longs(LONGS);
      long sum = Fns.sumLongs(value);
      for (int round = 0; round < 3; round++) {
        ObjectRef<long[]> ref = flare.put(value);
        assertThat(node.isWrittenBehind(ref)).as("written behind").isTrue();
        WaitResult<long[]> ready = flare.wait(List.of(ref), 1, 0);
        assertThat(ready.getReady()).containsExactly(ref);
        assertThat(Arrays.equals(flare.get(ref), value)).isTrue();
        // an argument: the task waits for the write, then reads the store (any node)
        assertThat(flare.get(flare.task(Fns::sumLongs, ref).remote())).isEqualTo(sum);
        // a ref inside an argument: the task's node asks the owner, who answers once stored
        List<ObjectRef<long[]>> holder = List.of(ref);
        assertThat(flare.get(flare.task(WriteBehindTest::sumOfRef, holder).remote()))
            .isEqualTo(sum);
        node.awaitStored(ref, 60_000);
        assertThat(node.storedLocationOf(ref).chunks()).isEqualTo(CHUNKS);
        assertThat(Arrays.equals(flare.get(ref), value)).isTrue();
      }
      // the value the owner writes is stored: read from the other node's side too
      FlareRuntime other = IgniteFlare.attach(c.node(1));
      ObjectRef<long[]> ref = flare.put(value);
      assertThat(other.get(other.task(WriteBehindTest::sumOfRef, List.of(ref)).remote(), 60_000L))
          .isEqualTo(sum);
    }
  }

  @Test
  void withWriteBehindOff_aPutReturnsOnceItsChunksAreStored() {
    try (TestCluster c = TestCluster.start("wb-off", 1, writeBehind(0))) {
      FlareRuntime flare = IgniteFlare.attach(c.node(0));
      FlareNode node = IgniteRuntimeFactory.nodeOf(c.node(0));
      ObjectStore store = node.store();
      long before = store.size();
      ObjectRef<long[]> ref = flare.put(Fns.longs(LONGS));
      assertThat(node.isWrittenBehind(ref)).isFalse();
      assertThat(store.size() - before).isEqualTo(CHUNKS);
      assertThat(store.pendingWriteBytes()).isZero();
      assertThat(flare.get(ref)[LONGS - 1]).isEqualTo((LONGS - 1) * 3L);
    }
  }

  @Test
  void aValueOverTheLimitOrOfOneChunk_isWrittenBeforePutReturns_andOthersBehind() {
    try (TestCluster c = TestCluster.start("wb-limit", 1, writeBehind(20L << 20))) {
      FlareRuntime flare = IgniteFlare.attach(c.node(0));
      FlareNode node = IgniteRuntimeFactory.nodeOf(c.node(0));
      ObjectRef<long[]> big = flare.put(Fns.longs(LONGS)); // 32 MiB > 20 MiB
      assertThat(node.isWrittenBehind(big)).isFalse();
      assertThat(node.storedLocationOf(big)).isNotNull();
      ObjectRef<long[]> small = flare.put(Fns.longs(1 << 20)); // 8 MiB
      assertThat(node.isWrittenBehind(small)).isTrue();
      ObjectRef<long[]> oneChunk = flare.put(Fns.longs(1 << 18)); // 2 MiB: one chunk
      assertThat(node.isWrittenBehind(oneChunk)).isFalse();
      assertThat(node.storedLocationOf(oneChunk).chunks()).isEqualTo(1);
      assertThat(flare.get(small)[(1 << 20) - 1]).isEqualTo(((1 << 20) - 1) * 3L);
      assertThat(flare.get(big)[LONGS - 1]).isEqualTo((LONGS - 1) * 3L);
    }
  }

  @Test
  void putsDroppedWhileTheyAreWritten_leaveNothingInTheStore() {
    try (TestCluster c = TestCluster.start("wb-drop", 2)) {
      FlareRuntime flare = IgniteFlare.attach(c.node(0));
      ObjectStore store = IgniteRuntimeFactory.nodeOf(c.node(0)).store();
      long[] value = Fns.longs(2 << 20); // 16 MiB, 4 chunks
      int behind = 0;
      for (int i = 0; i < 40; i++) {
        ObjectRef<long[]> ref = flare.put(value);
        if (IgniteRuntimeFactory.nodeOf(c.node(0)).isWrittenBehind(ref)) {
          behind++;
        }
        ref = null; // dropped at once, most while still being written
        if (i % 8 == 7) {
          System.gc();
        }
      }
      assertThat(behind).isGreaterThan(0);
      Await.until(
          "every dropped value freed, none half-written",
          Duration.ofSeconds(60),
          () -> {
            System.gc();
            return store.size() == 0 && store.pendingWriteBytes() == 0;
          });
      // the store still takes and gives values
      ObjectRef<long[]> kept = flare.put(value);
      assertThat(flare.get(kept)[5]).isEqualTo(15L);
    }
  }

  /**
   * A client's put that passed its room check, then found the server's store filled by the server's
   * own driver: it fails clearly wherever the failure shows (at the put when the client asks the
   * server again first; else once written behind: waiting for the write, reading the value after,
   * and tasks that take it all say why), and what was written of it is removed.
   */
  @Test
  void aPutThatFindsNoRoomAfterItsCheck_failsClearly_andLeavesNothingBehind() {
    try (TestCluster c = TestCluster.start("wb-full", 1, SMALL_STORE)) {
      org.apache.ignite.Ignite client = c.startNode(true, cfg -> {});
      FlareRuntime driver = IgniteFlare.attach(client);
      FlareRuntime serverDriver = IgniteFlare.attach(c.node(0));
      FlareNode server = IgniteRuntimeFactory.nodeOf(c.node(0));
      ObjectStore store = server.store();
      ObjectRef<long[]> a = driver.put(Fns.longs(1 << 20)); // 8 MiB; the client probes the room
      ObjectRef<long[]> taken = serverDriver.put(Fns.longs(30 << 17)); // 30 MiB, on the server
      server.awaitStored(taken, 60_000);
      Throwable failure;
      String where;
      try {
        ObjectRef<long[]> b = driver.put(Fns.longs(3 << 20)); // 24 MiB: more than is left
        where = "write behind";
        assertThat(IgniteRuntimeFactory.nodeOf(client).isWrittenBehind(b)).isTrue();
        // the write's failure: waiting for it, and any read after it, says why
        failure =
            org.assertj.core.api.Assertions.catchThrowable(
                () -> IgniteRuntimeFactory.nodeOf(client).awaitStored(b, 60_000));
        Throwable read = org.assertj.core.api.Assertions.catchThrowable(() -> driver.get(b));
        assertThat(read)
            .isInstanceOf(io.flare.api.exception.FlareException.class)
            .hasMessageContaining("storeMaxSize");
        Throwable task =
            org.assertj.core.api.Assertions.catchThrowable(
                () -> driver.get(driver.task(Fns::sumLongs, b).remote()));
        assertThat(task).hasMessageContaining("storeMaxSize");
      } catch (io.flare.api.exception.FlareException e) {
        where = "put";
        failure = e;
      }
      System.out.println("wb-full: the 24 MiB put failed at its " + where);
      assertThat(failure).as("the 24 MiB put fails at its put or once written behind").isNotNull();
      assertThat(failure)
          .isInstanceOf(io.flare.api.exception.FlareException.class)
          .hasMessageContaining("storeMaxSize");
      long aChunks = IgniteRuntimeFactory.nodeOf(client).storedLocationOf(a).chunks();
      long takenChunks = server.storedLocationOf(taken).chunks();
      Await.until(
          "only the two stored values left, no reservation held",
          Duration.ofSeconds(30),
          () -> store.size() == aChunks + takenChunks && store.reservedBytes() == 0);
      assertThat(driver.get(a)[(1 << 20) - 1]).isEqualTo(((1 << 20) - 1) * 3L);
      assertThat(driver.get(driver.task(Fns::inc, 1).remote())).isEqualTo(2);
    }
  }

  /**
   * One client putting 24 MB values back to back into a server's 64 MiB store, nothing else
   * writing: the put that no longer fits fails at put, and every put that returned is stored (found
   * by acceptance testing: the third put returned and failed later, the client's room check trusted
   * a count of the server's room taken before its second put landed).
   */
  @Test
  void oneClientFillingAServersStore_isRefusedAtThePutThatNoLongerFits() {
    try (TestCluster c = TestCluster.start("wb-fill", 1, SMALL_STORE)) {
      org.apache.ignite.Ignite client = c.startNode(true, cfg -> {});
      FlareRuntime driver = IgniteFlare.attach(client);
      List<ObjectRef<long[]>> held = new ArrayList<>();
      io.flare.api.exception.FlareException refused = null;
      for (int i = 0; i < 6 && refused == null; i++) {
        try {
          held.add(driver.put(Fns.longs(3_000_000 + i))); // 24 MB
        } catch (io.flare.api.exception.FlareException e) {
          refused = e;
        }
      }
      assertThat(refused).as("a put that does not fit fails at put").isNotNull();
      assertThat(refused).hasMessageContaining("storeMaxSize");
      assertThat(held).hasSizeBetween(1, 2);
      for (int i = 0; i < held.size(); i++) {
        assertThat(driver.get(driver.task(Fns::sumLongs, held.get(i)).remote()))
            .isEqualTo(Fns.sumLongs(Fns.longs(3_000_000 + i)));
      }
    }
  }

  /**
   * Two servers backing each other up, both overfilled at once by six writers (each keeping two
   * values of 8–12 MiB, twice what the two 64 MiB stores hold): every put lands and reads back or
   * fails naming the setting, both nodes stay up, and everything is freed after. Ignite writes
   * backups without the store's guard, so a room check that lets too many writers through at once
   * runs a backup region out of memory and stops its node (a change that made every chunk wait and
   * retry for backup room did that, in the first run).
   */
  @Test
  void twoServersOverfillingEachOthersBackups_failClearly_andBothStayUp() throws Exception {
    for (int round = 0; round < Integer.getInteger("flare.test.overfillRounds", 1); round++) {
      try (TestCluster c = TestCluster.start("wb-overfill", 2, SMALL_STORE)) {
        List<FlareRuntime> drivers =
            List.of(IgniteFlare.attach(c.node(0)), IgniteFlare.attach(c.node(1)));
        java.util.concurrent.atomic.AtomicInteger landed =
            new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger refused =
            new java.util.concurrent.atomic.AtomicInteger();
        java.util.Queue<Throwable> wrong = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.ExecutorService pool =
            java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
          List<java.util.concurrent.Future<?>> writers = new ArrayList<>();
          for (int t = 0; t < 6; t++) {
            int w = t;
            FlareRuntime f = drivers.get(w % 2);
            writers.add(
                pool.submit(
                    () -> {
                      java.util.ArrayDeque<ObjectRef<long[]>> held = new java.util.ArrayDeque<>();
                      java.util.ArrayDeque<Long> sums = new java.util.ArrayDeque<>();
                      for (int i = 0; i < 8; i++) {
                        long[] v = Fns.longs((1 << 20) + 65_536 * ((w + i) % 8) + w);
                        try {
                          held.add(f.put(v));
                          sums.add(Fns.sumLongs(v));
                          if (held.size() > 2) {
                            long got = f.get(f.task(Fns::sumLongs, held.poll()).remote(), 60_000);
                            if (got != sums.poll()) {
                              wrong.add(new AssertionError("a value read back wrong"));
                            }
                            landed.incrementAndGet();
                          }
                        } catch (io.flare.api.exception.FlareException e) {
                          if (String.valueOf(e.getMessage()).contains("storeMaxSize")) {
                            refused.incrementAndGet();
                          } else {
                            wrong.add(e);
                          }
                        } catch (RuntimeException e) {
                          wrong.add(e);
                        }
                      }
                    }));
          }
          for (java.util.concurrent.Future<?> f : writers) {
            f.get(300, TimeUnit.SECONDS);
          }
        } finally {
          pool.shutdownNow();
        }
        assertThat(c.node(0).cluster().forServers().nodes()).as("both servers up").hasSize(2);
        assertThat(c.node(1).cluster().forServers().nodes()).as("both servers up").hasSize(2);
        assertThat(wrong).isEmpty();
        assertThat(refused.get()).as("the stores were overfilled").isPositive();
        ObjectStore s0 = IgniteRuntimeFactory.nodeOf(c.node(0)).store();
        ObjectStore s1 = IgniteRuntimeFactory.nodeOf(c.node(1)).store();
        Await.until(
            "both stores empty, nothing pending or promised",
            Duration.ofSeconds(60),
            () -> {
              System.gc();
              return s0.size() == 0
                  && s0.pendingWriteBytes() == 0
                  && s0.reservedBytes() == 0
                  && s1.pendingWriteBytes() == 0
                  && s1.reservedBytes() == 0;
            });
        System.out.printf(
            "wb-overfill round %d: %d landed, %d refused%n", round, landed.get(), refused.get());
      }
    }
  }

  /**
   * A server that leaves while it writes: the values it owned go from the other servers' stores,
   * also the copies whose primary was on it (they reach the survivors as backups, and a scan of the
   * survivors' primaries missed them: acceptance testing found 1-17 chunks left for good on each
   * survivor in 7 of 10 runs), and the backup room it had reserved there comes back at once.
   */
  @Test
  void aServerThatLeaves_hasItsValuesRemovedEverywhere_andItsReservationsGivenBack() {
    try (TestCluster c =
        TestCluster.start(
            "wb-leave",
            3,
            cfg ->
                ((FlarePluginConfiguration) cfg.getPluginConfigurations()[0])
                    .setStoreMaxSize(128L << 20)
                    .setPutBackups(2))) {
      FlareRuntime leaving = IgniteFlare.attach(c.node(2));
      List<ObjectRef<long[]>> held = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        held.add(leaving.put(Fns.longs(3 << 20))); // 24 MiB, most still being written at the end
      }
      assertThat(IgniteRuntimeFactory.nodeOf(c.node(2)).isWrittenBehind(held.get(0))).isTrue();
      c.stop(2);
      ObjectStore s0 = IgniteRuntimeFactory.nodeOf(c.node(0)).store();
      ObjectStore s1 = IgniteRuntimeFactory.nodeOf(c.node(1)).store();
      Await.until(
          "the departed owner's values and reservations gone from both survivors",
          Duration.ofSeconds(20),
          () -> s0.size() == 0 && s0.reservedBytes() == 0 && s1.reservedBytes() == 0);
      java.lang.ref.Reference.reachabilityFence(held); // the refs lived until their owner left
    }
  }

  @Test
  void aNodeThatStopsWhileItWritesBehind_leavesNothingStored() {
    try (TestCluster c = TestCluster.start("wb-stop", 2)) {
      ObjectStore survivor = IgniteRuntimeFactory.nodeOf(c.node(0)).store();
      FlareRuntime leaving = IgniteFlare.attach(c.node(1));
      List<ObjectRef<long[]>> refs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        refs.add(leaving.put(Fns.longs(LONGS)));
      }
      assertThat(IgniteRuntimeFactory.nodeOf(c.node(1)).isWrittenBehind(refs.get(0))).isTrue();
      c.stop(1);
      Await.until(
          "the stopped owner's values gone from the store",
          Duration.ofSeconds(60),
          () -> survivor.size() == 0);
      java.lang.ref.Reference.reachabilityFence(refs); // the refs lived until their owner left
    }
  }
}
