package io.flare.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import io.flare.api.exception.ObjectLostException;
import io.flare.plugin.internal.FlareNode;
import io.flare.plugin.internal.IgniteRuntimeFactory;
import io.flare.plugin.testing.Await;
import io.flare.plugin.testing.TestCluster;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Lost task results are computed again from their lineage; lost put values are reported. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReconstructionTest {

  /** A 2 MiB result, kept in the store on the node that computed it, tagged with that node. */
  public static long[] block(int seed) {
    long[] a = new long[256 * 1024];
    a[0] = seed;
    a[1] = nodeIndexTag();
    return a;
  }

  /** The node this runs on: a task over a stored value runs where the value lives. */
  public static String holderOf(long[] a) {
    return Flare.getRuntimeContext().getCurrentNodeId();
  }

  public static long[] plusOne(long[] a) {
    long[] b = a.clone();
    b[0]++;
    b[1] = nodeIndexTag();
    return b;
  }

  static long nodeIndexTag() {
    return Flare.getRuntimeContext().getCurrentNodeId().hashCode();
  }

  private static int indexOf(TestCluster c, long tag) {
    for (int i = 0; i < c.nodes().size(); i++) {
      if (c.nodeId(i).hashCode() == tag) {
        return i;
      }
    }
    throw new AssertionError("no node with tag " + tag);
  }

  @Test
  void aResultLostWithItsNode_isComputedAgainOnGet() {
    try (TestCluster c = TestCluster.start("lineage", 3)) {
      Ignite client = c.startNode(true, cfg -> {});
      FlareRuntime flare = IgniteFlare.attach(client);
      ObjectRef<long[]> r = flare.task(ReconstructionTest::block, 42).remote();
      // where the value lives, found by a task that runs there (the driver does not read it:
      // a driver that read it keeps a cached copy, which would answer instead of the lineage)
      String where = flare.get(flare.task(ReconstructionTest::holderOf, r).remote());
      int holder = indexOf(c, where.hashCode());
      c.stop(holder);
      long[] again = flare.get(r, 60_000);
      assertThat(again[0]).isEqualTo(42);
      assertThat(indexOf(c, again[1])).isNotEqualTo(holder);
      FlareNode owner = IgniteRuntimeFactory.nodeOf(client);
      assertThat(owner.reconstructions()).isGreaterThanOrEqualTo(1);
      io.flare.lineage.LineageTable.LineageRecord rec =
          owner.lineageTable().get(io.flare.store.ObjectId.parse(r.getId()));
      assertThat(rec).isNotNull();
      assertThat(rec.owner).isEqualTo(client.cluster().localNode().id());
      System.out.printf(
          "lineage row: key %d chars, spec %d bytes, function %s%n",
          r.getId().length(), rec.spec.length, rec.function);
    }
  }

  @Test
  void aChainWhoseIntermediateWasLost_isComputedAgainThroughItsLineage() {
    try (TestCluster c = TestCluster.start("chain", 3)) {
      Ignite client = c.startNode(true, cfg -> {});
      FlareRuntime flare = IgniteFlare.attach(client);
      FlareNode owner = IgniteRuntimeFactory.nodeOf(client);
      int before0 = owner.ownedObjectCount();
      ObjectRef<long[]> cur = flare.task(ReconstructionTest::block, 0).remote();
      for (int i = 0; i < 5; i++) {
        cur = flare.task(ReconstructionTest::plusOne, cur).remote();
      }
      long[] before = flare.get(cur);
      assertThat(before[0]).isEqualTo(5);
      // drop the intermediates: only their lineage (held by the last task) can bring them back
      Await.until(
          "the dropped intermediates are freed (only the last of the chain remains)",
          Duration.ofSeconds(30),
          () -> {
            System.gc();
            return owner.ownedObjectCount() <= before0 + 1;
          });
      // the whole chain ran where the first block was: that node holds every value
      int holder = indexOf(c, before[1]);
      c.stop(holder);
      ObjectRef<long[]> next = flare.task(ReconstructionTest::plusOne, cur).remote();
      assertThat(flare.get(next, 60_000)[0]).isEqualTo(6);
      assertThat(flare.get(cur, 60_000)[0]).isEqualTo(5);
    }
  }

  @Test
  void aPutValueWithoutBackups_lostWithItsNode_raisesObjectLost() {
    try (TestCluster c =
        TestCluster.start(
            "putlost",
            2,
            cfg ->
                ((io.flare.plugin.FlarePluginConfiguration) cfg.getPluginConfigurations()[0])
                    .setPutBackups(0))) {
      Ignite client = c.startNode(true, cfg -> {});
      FlareRuntime flare = IgniteFlare.attach(client);
      ObjectRef<long[]> v = flare.put(new long[300_000]);
      org.apache.ignite.cluster.ClusterNode primary =
          IgniteRuntimeFactory.nodeOf(client).store().primaryNode(storedLocation(client, v));
      int idx = primary.id().toString().equals(c.nodeId(0)) ? 0 : 1;
      // the client still holds the chunks it wrote: the loss must be reported all the same
      assertThat(IgniteRuntimeFactory.nodeOf(client).store().chunkCacheHitsMissesBytes()[2])
          .isGreaterThanOrEqualTo(8L * 300_000);
      c.stop(idx);
      assertThatThrownBy(() -> flare.get(v, 30_000)).isInstanceOf(ObjectLostException.class);
      assertThat(flare.get(flare.task(Fns::inc, 1).remote())).isEqualTo(2);
    }
  }

  @Test
  void aPutValueWithABackup_survivesTheLossOfItsPrimary() {
    try (TestCluster c = TestCluster.start("putkept", 2)) {
      Ignite client = c.startNode(true, cfg -> {});
      FlareRuntime flare = IgniteFlare.attach(client);
      long[] data = Fns.longs(300_000);
      ObjectRef<long[]> v = flare.put(data);
      org.apache.ignite.cluster.ClusterNode primary =
          IgniteRuntimeFactory.nodeOf(client).store().primaryNode(storedLocation(client, v));
      int idx = primary.id().toString().equals(c.nodeId(0)) ? 0 : 1;
      c.stop(idx);
      assertThat(flare.get(v, 30_000)).isEqualTo(data);
    }
  }

  private static io.flare.store.cache.StoredLocation storedLocation(
      Ignite owner, ObjectRef<?> ref) {
    return IgniteRuntimeFactory.nodeOf(owner).storedLocationOf(ref);
  }

  /**
   * The lineage rows of a driver that left go with it, as its objects do: before, its stored
   * results were freed but their rows stayed in the table for good (10 rows per driver in an
   * acceptance test, after a kill -9 or a clean shutdown).
   */
  @Test
  void theLineageRowsOfADriverThatLeft_areDropped() {
    try (TestCluster c = TestCluster.start("lineagegone", 2)) {
      FlareNode server = IgniteRuntimeFactory.nodeOf(c.nodes().get(0));
      long before = server.lineageTable().size();
      Ignite client = c.startNode(true, cfg -> {});
      FlareRuntime flare = IgniteFlare.attach(client);
      java.util.List<ObjectRef<long[]>> held = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        held.add(flare.task(ReconstructionTest::block, i).remote());
      }
      for (ObjectRef<long[]> r : held) {
        flare.wait(java.util.List.of(r), 1, 60_000);
      }
      Await.until(
          "the driver's 10 lineage rows are written",
          Duration.ofSeconds(30),
          () -> server.lineageTable().size() >= before + 10);
      client.close(); // the driver leaves holding its refs
      Await.until(
          "the departed driver's lineage rows are dropped",
          Duration.ofSeconds(30),
          () -> server.lineageTable().size() == before);
      assertThat(server.store().size()).as("its stored results are freed too").isZero();
      java.lang.ref.Reference.reachabilityFence(held); // the driver held its refs until it left
    }
  }
}
