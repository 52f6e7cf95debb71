package io.flare.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.flare.api.ObjectRef;
import io.flare.api.exception.TaskException;
import io.flare.plugin.testing.TestCluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tasks across three real Ignite server nodes in one JVM. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MultiNodeTest {
  static TestCluster cluster;
  static FlareRuntime flare;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start("multi", 3);
    flare = IgniteFlare.attach(cluster.node(0));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void tasks_spreadOverEveryServer() {
    // a server takes work once it answered the handshake, a moment after it joined: batches of
    // 300 tasks until all three servers ran some (10 s at most)
    Set<String> nodes = new HashSet<>();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (nodes.size() < 3 && System.nanoTime() < deadline) {
      List<ObjectRef<String>> refs = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        refs.add(flare.task(Fns::nodeId).remote());
      }
      nodes.addAll(flare.get(refs));
    }
    assertThat(nodes).hasSize(3);
  }

  @Test
  void nestedTasks_andNestedRefs_workAcrossNodes() {
    assertThat(flare.get(flare.task(Fns::fib, 10).remote(), 60_000)).isEqualTo(55);
    List<ObjectRef<Integer>> refs = flare.task(Fns::makeRefs, 6).remote().get();
    assertThat(flare.get(refs)).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(flare.task(Fns::sumNested, refs).remote().get()).isEqualTo(21);
  }

  @Test
  void largeValues_areReadOnOtherNodes() {
    List<ObjectRef<Long>> sums = new ArrayList<>();
    ObjectRef<long[]> data = flare.put(Fns.longs(500_000));
    for (int i = 0; i < 6; i++) {
      sums.add(flare.task(Fns::sumLongs, data).remote());
    }
    long expected = Fns.sumLongs(Fns.longs(500_000));
    assertThat(flare.get(sums)).containsOnly(expected);
    ObjectRef<byte[]> produced = flare.task(Fns::bytes, 2_000_000).remote();
    assertThat(flare.get(produced)).isEqualTo(Fns.bytes(2_000_000));
  }

  /**
   * {@code wait(..., fetchLocal = true)} (Ray's fourth argument) returns a ref as ready once its
   * value is on the waiting node: the {@code get} after it fetches nothing. Without it, the {@code
   * get} fetches the chunks.
   */
  @Test
  void waitWithFetchLocal_bringsTheValueHere_beforeSayingItIsReady() {
    io.flare.store.cache.ObjectStore store =
        io.flare.plugin.internal.IgniteRuntimeFactory.nodeOf(cluster.node(0)).store();
    ObjectRef<byte[]> produced = flare.task(Fns::bytes, 9_000_000).remote();
    assertThat(flare.wait(List.of(produced), 1, 60_000).getReady()).containsExactly(produced);

    store.clearChunkCache();
    long misses = store.chunkCacheHitsMissesBytes()[1];
    assertThat(flare.get(produced)).isEqualTo(Fns.bytes(9_000_000));
    assertThat(store.chunkCacheHitsMissesBytes()[1])
        .as("plain wait: get fetches")
        .isGreaterThan(misses);

    store.clearChunkCache();
    assertThat(flare.wait(List.of(produced), 1, 60_000, true).getReady()).containsExactly(produced);
    misses = store.chunkCacheHitsMissesBytes()[1];
    assertThat(flare.get(produced)).isEqualTo(Fns.bytes(9_000_000));
    assertThat(store.chunkCacheHitsMissesBytes()[1])
        .as("fetchLocal: get fetches nothing")
        .isEqualTo(misses);
    assertThat(flare.wait(List.of(produced), 1, 0, true).getReady()).containsExactly(produced);
  }

  @Test
  void errors_crossNodesWithTheirCause() {
    Throwable t = catchThrowable(() -> flare.task(Fns::boom, 9).remote().get());
    assertThat(t).isInstanceOf(TaskException.class);
    assertThat(t.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("boom 9");
  }

  @Test
  void tasksOnAStoppedNode_areRetriedElsewhere() {
    try (TestCluster c = TestCluster.start("failover", 3)) {
      FlareRuntime f = IgniteFlare.attach(c.node(0));
      Fns.gate = new CountDownLatch(1);
      List<ObjectRef<Integer>> refs = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        refs.add(f.task(Fns::awaitGate).remote());
      }
      c.stop(2);
      Fns.gate.countDown();
      assertThat(f.get(refs, 60_000)).hasSize(12).containsOnly(1);
    }
  }

  @Test
  void defaultMaxRetries_isTheRetryCountOfCallsThatDoNotSetOne() {
    try (TestCluster c =
        TestCluster.start(
            "retries",
            1,
            cfg ->
                ((FlarePluginConfiguration) cfg.getPluginConfigurations()[0])
                    .setDefaultMaxRetries(1))) {
      FlareRuntime flare = IgniteFlare.attach(c.node(0));
      Fns.FLAKY_CALLS.set(0);
      assertThatThrownBy(
              () -> flare.get(flare.task(Fns::flaky, 2).setRetryExceptions(true).remote()))
          .isInstanceOf(TaskException.class)
          .hasRootCauseMessage("flaky call 2"); // one re-run, not three
      Fns.FLAKY_CALLS.set(0);
      assertThat(
              flare.get(
                  flare.task(Fns::flaky, 2).setRetryExceptions(true).setMaxRetries(3).remote()))
          .isEqualTo(3); // a call's own setting wins
    }
  }
}
