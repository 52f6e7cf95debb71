package io.flare.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flare.api.Flare;
import io.flare.api.NodeInfo;
import io.flare.api.ObjectRef;
import io.flare.api.function.FlareFunc2;
import io.flare.examples.Aggregation;
import io.flare.examples.MatrixDag;
import io.flare.examples.ParallelTasks;
import io.flare.plugin.FlareRuntime;
import io.flare.plugin.IgniteFlare;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Flare as a user deploys it: two stock Ignite server JVMs (Ignite's jars + the drop-in jar,
 * started by {@code CommandLineStartup config/flare-server.xml}) and a client driver in this JVM
 * started by {@code Flare.init("config/flare-client.xml")}.
 *
 * <p>The first cluster's servers have no application classes at all: the examples' classes reach
 * them through Flare's code shipping (the servers fetch them from the driver). The second cluster,
 * running at the same time on other ports, has the examples jar on its servers' classpath instead,
 * the other documented way to deploy user code.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StockServersTest {
  private static final Duration TOPOLOGY_TIMEOUT = Duration.ofSeconds(60);
  private static final FlareFunc2<Integer, Integer, Integer> SUM = Integer::sum;

  private LocalCluster cluster;
  private Ignite client;

  @BeforeAll
  void startClusterAndClient() {
    cluster = LocalCluster.builder("stock").servers(2).start();
    client = Drivers.initFlare(ClusterEnv.config("flare-client.xml"), cluster.clientProperties());
    cluster.awaitServers(client, 2, TOPOLOGY_TIMEOUT);
  }

  @AfterAll
  void stopAll() {
    try {
      Flare.shutdown();
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Test
  @Order(1)
  void clientDriver_joinsAsClient_andSeesBothServers() {
    assertThat(client.cluster().localNode().isClient()).isTrue();
    List<NodeInfo> nodes = Flare.getRuntimeContext().getAllNodeInfo();
    assertThat(nodes).filteredOn(NodeInfo::isServer).hasSize(2);
    assertThat(nodes).filteredOn(n -> !n.isServer()).hasSize(1);
    // each server offers the 2 worker slots the cluster asked for (flare.worker.threads)
    assertThat(nodes)
        .filteredOn(NodeInfo::isServer)
        .allSatisfy(n -> assertThat(n.getResources()).containsEntry("CPU", 2.0));
  }

  @Test
  @Order(2)
  void jdkFunctionTasks_runOnStockServers_withExactResults() {
    // a tree of 15 adds over 0..15, every level's refs passed as arguments
    List<ObjectRef<Integer>> level = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      level.add(Flare.put(i));
    }
    while (level.size() > 1) {
      List<ObjectRef<Integer>> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += 2) {
        next.add(Flare.task(SUM, level.get(i), level.get(i + 1)).remote());
      }
      level = next;
    }
    assertThat(Flare.get(level.get(0), 60_000)).isEqualTo(120);

    List<ObjectRef<Integer>> many =
        IntStream.range(0, 200).mapToObj(i -> Flare.task(SUM, i, 1000).remote()).toList();
    assertThat(Flare.get(many, 60_000))
        .isEqualTo(IntStream.range(0, 200).map(i -> i + 1000).boxed().toList());
  }

  public static int square(int x) {
    return x * x;
  }

  /** Calls Flare's static API from a thread the task starts itself (not a Flare thread). */
  public static int squareFromOwnThread(int x) throws Exception {
    int[] out = new int[1];
    Exception[] failed = new Exception[1];
    Thread t =
        new Thread(
            () -> {
              try {
                out[0] = Flare.get(Flare.task(StockServersTest::square, x).remote(), 60_000);
              } catch (Exception e) {
                failed[0] = e;
              }
            });
    t.start();
    t.join(90_000);
    if (failed[0] != null) {
      throw failed[0];
    }
    return out[0];
  }

  /**
   * On a server started by Ignite's command line (no {@code Flare.init} in its JVM), a thread a
   * task starts itself (or a parallel stream's) may use Flare's static API: it goes to that node's
   * Flare. Before, it failed with "Flare is not initialized".
   */
  @Test
  @Order(2)
  void threadsStartedByATaskOnAStockServer_mayUseFlaresStaticApi() {
    assertThat(Flare.get(Flare.task(StockServersTest::squareFromOwnThread, 9).remote(), 90_000))
        .isEqualTo(81);
  }

  @Test
  @Order(3)
  void examples_runFromClientDriver_withTheSameResultsAsEmbedded() {
    assertThat(ParallelTasks.run()).containsExactly(0, 1, 4, 9);
    assertThat(Aggregation.treeLoop(List.of(0, 1, 2, 3, 4, 5, 6, 7))).isEqualTo(28);
    // 200x200 doubles = 320 KB per matrix: large enough to go through the object store
    MatrixDag.Matrix product = MatrixDag.run(200);
    MatrixDag.Matrix expected = MatrixDag.expected(200);
    assertThat(product.size()).isEqualTo(200);
    assertThat(Arrays.equals(product.values(), expected.values())).isTrue();
  }

  @Test
  @Order(4)
  void secondCluster_onOtherPorts_runsAtTheSameTime_withoutMerging() {
    // user code installed on the servers: the examples jar beside the drop-in jar
    try (LocalCluster second =
        LocalCluster.builder("second").servers(2).userJar(ClusterEnv.examplesJar()).start()) {
      assertThat(second.ports().base()).isNotEqualTo(cluster.ports().base());
      Ignite secondClient =
          Drivers.startIgnite(ClusterEnv.config("flare-client.xml"), second.clientProperties());
      try {
        second.awaitServers(secondClient, 2, TOPOLOGY_TIMEOUT);
        FlareRuntime flare2 = IgniteFlare.attach(secondClient);

        ObjectRef<Integer> first = Flare.task(SUM, 40, 2).remote();
        ObjectRef<Integer> other = flare2.task(SUM, 400, 20).remote();
        ObjectRef<Integer> otherChained = flare2.task(SUM, other, 1).remote();
        ObjectRef<Integer> square = flare2.task(ParallelTasks::f, 12).remote();
        ObjectRef<Integer> added = flare2.task(Aggregation::add, square, otherChained).remote();
        assertThat(Flare.get(first, 60_000)).isEqualTo(42);
        assertThat(flare2.get(otherChained, 60_000)).isEqualTo(421);
        assertThat(flare2.get(added, 60_000)).isEqualTo(144 + 421);

        // still two separate clusters of two servers each, no node in common
        assertThat(client.cluster().forServers().nodes()).hasSize(2);
        assertThat(secondClient.cluster().forServers().nodes()).hasSize(2);
        Set<UUID> ids = ids(client.cluster().nodes());
        Set<UUID> ids2 = ids(secondClient.cluster().nodes());
        assertThat(ids).doesNotContainAnyElementsOf(ids2);
      } finally {
        secondClient.close();
      }
    }
  }

  @Test
  @Order(5)
  void killedServer_leavesTheCluster_andRejoinsAfterRestart() {
    cluster.kill(1);
    assertThat(cluster.server(1).isAlive()).isFalse();
    cluster.awaitServers(client, 1, TOPOLOGY_TIMEOUT);
    assertThat(Flare.get(Flare.task(SUM, 1, 2).remote(), 60_000)).isEqualTo(3);

    cluster.restart(1);
    cluster.awaitServers(client, 2, TOPOLOGY_TIMEOUT);
    List<ObjectRef<Integer>> refs =
        IntStream.range(0, 20).mapToObj(i -> Flare.task(SUM, i, i).remote()).toList();
    assertThat(Flare.get(refs, 60_000))
        .isEqualTo(IntStream.range(0, 20).map(i -> 2 * i).boxed().toList());
  }

  @Test
  @Order(6)
  void tasksRunningOnAKilledServer_areRerunElsewhere_withExactResults() {
    cluster.awaitServers(client, 2, TOPOLOGY_TIMEOUT);
    // 24 one-second tasks on 4 worker slots: about 6 s of work, spread over both servers
    List<ObjectRef<Integer>> refs =
        IntStream.range(0, 24).mapToObj(i -> Flare.task(ParallelTasks::f, i).remote()).toList();
    // kill -9 a server once the first results are in, while it runs tasks of its own
    Flare.wait(refs, 2, 30_000);
    cluster.kill(0);
    assertThat(Flare.get(refs, 90_000))
        .isEqualTo(IntStream.range(0, 24).map(i -> i * i).boxed().toList());
    cluster.awaitServers(client, 1, TOPOLOGY_TIMEOUT);
  }

  private static Set<UUID> ids(java.util.Collection<ClusterNode> nodes) {
    return nodes.stream().map(ClusterNode::id).collect(Collectors.toSet());
  }
}
