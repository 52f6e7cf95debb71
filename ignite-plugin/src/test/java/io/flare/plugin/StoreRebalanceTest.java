package io.flare.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.flare.api.ObjectRef;
import io.flare.api.exception.FlareException;
import io.flare.plugin.internal.FlareNode;
import io.flare.plugin.internal.IgniteRuntimeFactory;
import io.flare.plugin.testing.Await;
import io.flare.plugin.testing.TestCluster;
import io.flare.store.cache.ChunkKey;
import io.flare.store.cache.ObjectStore;
import io.flare.store.cache.StoredLocation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.CachePeekMode;
import org.apache.ignite.cluster.ClusterNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ignite moves the store's partitions only when the node that takes them has room (the store's
 * StoreRebalancer): a server leaving a cluster whose stores are too full to restore every backup
 * stops nobody, and backups come back once values are freed; a server that joins takes its share
 * before it serves.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StoreRebalanceTest {
  /** 8 MiB of longs: two chunks. */
  private static final int LONGS = 1 << 20;

  @Test
  void fullStores_aServerLeaves_survivorsStayUp_andBackupsReturnOnceRoomIsFreed() {
    try (TestCluster c =
        TestCluster.start(
            "rb-full",
            3,
            cfg ->
                ((FlarePluginConfiguration) cfg.getPluginConfigurations()[0])
                    .setStoreMaxSize(64L << 20))) {
      // a client writes: its values' partitions spread over the three servers
      Ignite client = c.startNode(true, cfg -> {});
      FlareRuntime driver = IgniteFlare.attach(client);
      FlareNode owner = IgniteRuntimeFactory.nodeOf(client);
      List<ObjectRef<long[]>> held = new ArrayList<>();
      long[] value = Fns.longs(3 << 17); // 3 MiB: one chunk, so the stores fill closely
      long sum = Fns.sumLongs(value);
      int refused = 0;
      // fill the three stores (each value: a primary and a backup copy) until puts are refused
      for (int i = 0; i < 80 && refused < 8; i++) {
        try {
          ObjectRef<long[]> r = driver.put(value);
          owner.awaitStored(r, 60_000);
          held.add(r);
        } catch (FlareException e) {
          assertThat(e.getMessage()).contains("storeMaxSize");
          refused++;
        }
      }
      // 20 values are 60 MiB: more than a 64 MiB store keeps for values (its margin is 8 MiB), so
      // neither survivor can hold a copy of every value
      assertThat(held.size()).as("values held").isGreaterThanOrEqualTo(20);
      assertThat(refused).as("puts refused once the stores were full").isPositive();

      for (int n = 0; n < 3; n++) {
        assertThat(IgniteRuntimeFactory.nodeOf(c.node(n)).store().partitionsAwaitingData())
            .as("partitions of node %d waiting for data before the stop", n)
            .isZero();
      }
      c.stop(2);
      ObjectStore s0 = IgniteRuntimeFactory.nodeOf(c.node(0)).store();
      ObjectStore s1 = IgniteRuntimeFactory.nodeOf(c.node(1)).store();
      // the two survivors hold every value once; one copy of each more does not fit both stores
      Await.until(
          "a survivor short of room to restore the backups",
          Duration.ofSeconds(60),
          () -> s0.rebalanceShortBy() > 0 || s1.rebalanceShortBy() > 0);
      for (ObjectRef<long[]> r : held) {
        assertThat(driver.get(driver.task(Fns::sumLongs, r).remote(), 60_000L)).isEqualTo(sum);
      }
      assertThat(alive(c.node(0)) && alive(c.node(1))).as("both survivors up").isTrue();

      // free all but four values: the survivors take their partitions, backups return
      List<ObjectRef<long[]>> kept = new ArrayList<>(held.subList(0, 4));
      held.clear();
      Await.until(
          "both survivors holding every partition they are to hold",
          Duration.ofSeconds(90),
          () -> {
            System.gc();
            return s0.partitionsAwaitingData() == 0
                && s1.partitionsAwaitingData() == 0
                && s0.rebalanceShortBy() == 0
                && s1.rebalanceShortBy() == 0;
          });
      // every chunk of a kept value has both its copies again, one on each survivor
      assertThat(chunksMissingFromNodes0And1(c, owner, kept)).isEmpty();
      for (ObjectRef<long[]> r : kept) {
        assertThat(driver.get(r)).isEqualTo(value);
      }
    }
  }

  @Test
  void aServerLeaves_withRoom_theSurvivorsRestoreEveryBackupAtOnce() {
    try (TestCluster c = TestCluster.start("rb-room", 3)) {
      FlareRuntime driver = IgniteFlare.attach(c.node(0));
      FlareNode owner = IgniteRuntimeFactory.nodeOf(c.node(0));
      List<ObjectRef<long[]>> held = putStored(driver, owner, Fns.longs(LONGS), 6);
      c.stop(2);
      Await.until(
          "every chunk with a copy on both survivors",
          Duration.ofSeconds(60),
          () -> chunksMissingFromNodes0And1(c, owner, held).isEmpty());
      for (int n = 0; n < 2; n++) {
        assertThat(IgniteRuntimeFactory.nodeOf(c.node(n)).store().rebalanceShortBy()).isZero();
      }
    }
  }

  @Test
  void aServerWithTooSmallAStoreForItsShare_joinsAndStaysUp_andTakesItOnceValuesAreFreed() {
    try (TestCluster c =
        TestCluster.start(
            "rb-small",
            2,
            cfg ->
                ((FlarePluginConfiguration) cfg.getPluginConfigurations()[0])
                    .setStoreMaxSize(160L << 20))) {
      FlareRuntime driver = IgniteFlare.attach(c.node(0));
      FlareNode owner = IgniteRuntimeFactory.nodeOf(c.node(0));
      long[] value = Fns.longs(1 << 18); // 2 MiB
      // 100 MiB, on both servers (one backup each)
      List<ObjectRef<long[]>> held = putStored(driver, owner, value, 50);
      // the third server's share is about two thirds of it: more than its 64 MiB store holds
      Ignite small =
          c.startNode(
              false,
              cfg ->
                  ((FlarePluginConfiguration) cfg.getPluginConfigurations()[0])
                      .setStoreMaxSize(64L << 20));
      ObjectStore store = IgniteRuntimeFactory.nodeOf(small).store();
      Await.until(
          "the small server reporting the bytes it lacks",
          Duration.ofSeconds(30),
          () -> store.rebalanceShortBy() > 0);
      assertThat(alive(small)).isTrue();
      FlareRuntime there = IgniteFlare.attach(small);
      long sum = Fns.sumLongs(value);
      for (ObjectRef<long[]> r : held) {
        assertThat(there.get(there.task(Fns::sumLongs, r).remote(), 60_000L)).isEqualTo(sum);
      }
      // freed values make the room: it takes its share
      held.subList(5, held.size()).clear();
      Await.until(
          "the small server holding its share",
          Duration.ofSeconds(90),
          () -> {
            System.gc();
            return store.partitionsAwaitingData() == 0 && store.rebalanceShortBy() == 0;
          });
      assertThat(alive(small)).isTrue();
      for (ObjectRef<long[]> r : held) {
        assertThat(driver.get(r)).isEqualTo(value);
      }
    }
  }

  @Test
  void aServerThatJoins_holdsItsShareOfTheStoreWhenItHasStarted() {
    try (TestCluster c = TestCluster.start("rb-join", 2)) {
      FlareRuntime driver = IgniteFlare.attach(c.node(0));
      List<ObjectRef<long[]>> held =
          putStored(
              driver, IgniteRuntimeFactory.nodeOf(c.node(0)), Fns.longs(LONGS / 8), 8); // 1 MiB
      Ignite joined = c.startNode(false, cfg -> {});
      ClusterNode me = joined.cluster().localNode();
      ObjectStore store = IgniteRuntimeFactory.nodeOf(joined).store();
      assertThat(store.partitionsAwaitingData()).as("partitions still waiting for data").isZero();
      assertThat(joined.affinity(ObjectStore.RESULTS_CACHE).primaryPartitions(me))
          .as("primary partitions of the results cache")
          .isNotEmpty();
      assertThat(joined.affinity(ObjectStore.PUTS_CACHE).primaryPartitions(me))
          .as("primary partitions of the puts cache")
          .isNotEmpty();
      // a task run there stores its result there
      FlareRuntime there = IgniteFlare.attach(joined);
      ObjectRef<long[]> made = there.task(Fns::longs, LONGS).remote();
      assertThat(there.get(made)).hasSize(LONGS);
      FlareNode node = IgniteRuntimeFactory.nodeOf(joined);
      assertThat(node.storedLocationOf(made)).isNotNull();
      assertThat(node.store().primaryNode(node.storedLocationOf(made)).id()).isEqualTo(me.id());
      for (ObjectRef<long[]> r : held) {
        assertThat(there.get(there.task(Fns::sumLongs, r).remote())).isNotNull();
      }
    }
  }

  /** Puts {@code value} {@code count} times, each stored in full before the next. */
  private static List<ObjectRef<long[]>> putStored(
      FlareRuntime driver, FlareNode owner, long[] value, int count) {
    List<ObjectRef<long[]>> held = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ObjectRef<long[]> r = driver.put(value);
      owner.awaitStored(r, 60_000);
      held.add(r);
    }
    return held;
  }

  /** The chunks of {@code refs} that node 0 or node 1 does not hold (as primary or backup). */
  private static List<String> chunksMissingFromNodes0And1(
      TestCluster c, FlareNode owner, List<ObjectRef<long[]>> refs) {
    List<String> missing = new ArrayList<>();
    for (ObjectRef<long[]> r : refs) {
      StoredLocation loc = owner.storedLocationOf(r);
      for (int i = 0; i < loc.chunks(); i++) {
        ChunkKey k = loc.key(i);
        for (int n = 0; n < 2; n++) {
          IgniteCache<ChunkKey, byte[]> cache = c.node(n).cache(ObjectStore.PUTS_CACHE);
          if (cache.localPeek(k, CachePeekMode.PRIMARY, CachePeekMode.BACKUP) == null) {
            missing.add(k + " on node " + n);
          }
        }
      }
    }
    return missing;
  }

  private static boolean alive(Ignite node) {
    try {
      return Ignition.state(node.name()) == org.apache.ignite.IgniteState.STARTED;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
