package io.flare.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flare.api.Flare;
import io.flare.api.NodeInfo;
import io.flare.api.ObjectRef;
import io.flare.api.function.FlareFunc2;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery through the Kubernetes API with {@code config/flare-kubernetes.xml}: a fake API server
 * (HTTPS on loopback) lists two "pod IPs", 127.0.0.1 and 127.0.0.2 (both loopback on Linux); a
 * server JVM binds each, on the same discovery port as pods do, and a client driver in this JVM
 * joins them through the same lookup.
 */
@Tag("cluster")
class KubernetesDiscoveryTest {
  private static final FlareFunc2<Integer, Integer, Integer> SUM = Integer::sum;
  private static final List<String> POD_IPS = List.of("127.0.0.1", "127.0.0.2");

  @Test
  void twoServersAndAClient_formOneCluster_throughTheKubernetesIpFinder(@TempDir Path dir)
      throws Exception {
    assumeTrue(
        canBind("127.0.0.2"), "127.0.0.2 is not a loopback address here (Linux has 127.0.0.0/8)");
    Keystores keys = Keystores.create(dir, "kubernetes");
    Path tokenFile = Files.writeString(dir.resolve("token"), "test-token-42");
    try (FakeKubernetesApi api =
        new FakeKubernetesApi(keys, "flare-test", "flare-svc", "test-token-42", POD_IPS)) {
      LocalCluster.Builder b =
          LocalCluster.builder("k8s")
              .servers(2)
              .config(ClusterEnv.config("flare-kubernetes.xml"))
              .property("flare.k8s.namespace", "flare-test")
              .property("flare.k8s.service", "flare-svc")
              .property("flare.k8s.master.url", api.masterUrl())
              .property("flare.k8s.token.file", tokenFile.toString())
              // like pods: each its own IP, all on the same ports
              .perServer(
                  (i, ports, p) -> {
                    p.put("flare.host", POD_IPS.get(i));
                    p.put("flare.discovery.port", String.valueOf(ports.port(0)));
                    p.put("flare.communication.port", String.valueOf(ports.port(10)));
                  });
      try (LocalCluster cluster = b.start()) {
        int discoveryPort = cluster.ports().port(0);
        Map<String, String> clientProps = cluster.clientProperties();
        clientProps.put("flare.client", "true");
        clientProps.put("flare.discovery.port", String.valueOf(discoveryPort));
        clientProps.put("flare.communication.port", String.valueOf(cluster.ports().port(20)));
        Ignite client = Drivers.initFlare(ClusterEnv.config("flare-kubernetes.xml"), clientProps);
        try {
          cluster.awaitServers(client, 2, Duration.ofSeconds(60));
          assertThat(client.cluster().localNode().isClient()).isTrue();
          assertThat(
                  client.cluster().forServers().nodes().stream()
                      .flatMap(n -> n.addresses().stream())
                      .distinct())
              .containsAll(POD_IPS);
          assertThat(Flare.getRuntimeContext().getAllNodeInfo())
              .filteredOn(NodeInfo::isServer)
              .hasSize(2);
          List<ObjectRef<Integer>> refs =
              IntStream.range(0, 40).mapToObj(i -> Flare.task(SUM, i, -1).remote()).toList();
          assertThat(Flare.get(refs, 60_000))
              .isEqualTo(IntStream.range(0, 40).map(i -> i - 1).boxed().toList());
        } finally {
          Flare.shutdown();
        }
        // every node asked the API, with the token, and got the endpoints
        assertThat(api.requests())
            .contains("200 GET /api/v1/namespaces/flare-test/endpoints/flare-svc")
            .allMatch(r -> r.startsWith("200 "));
        for (int i = 0; i < 2; i++) {
          assertThat(cluster.server(i).logText()).contains("servers=2");
        }
      }
    }
  }

  @Test
  void aClientWhoseKubernetesApiIsUnreachable_failsSayingWhatTheFinderHit(@TempDir Path dir)
      throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("token"), "test-token-42");
    PortBlock ports = PortBlock.allocate(3);
    String master = "https://127.0.0.1:" + ports.port(2); // nobody listens there
    Map<String, String> props = new java.util.HashMap<>();
    props.put("flare.client", "true");
    props.put("flare.instance.name", "k8s-lonely-client");
    props.put("flare.k8s.master.url", master);
    props.put("flare.k8s.token.file", tokenFile.toString());
    props.put("flare.discovery.port", String.valueOf(ports.port(0)));
    props.put("flare.communication.port", String.valueOf(ports.port(1)));
    props.put("flare.join.timeout", "3000");
    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> Drivers.initFlare(ClusterEnv.config("flare-kubernetes.xml"), props));
    assertThat(t)
        .isInstanceOf(io.flare.api.exception.FlareException.class)
        .hasMessageContaining("flare-kubernetes.xml")
        .hasMessageContaining("TcpDiscoveryKubernetesIpFinder")
        .hasMessageContaining("joinTimeout=3000");
  }

  private static boolean canBind(String ip) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(ip))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void manifests_grantEndpointReads_andStartTheDropInJarWithTheKubernetesXml() throws Exception {
    Path dir = ClusterEnv.configDir().resolve("kubernetes");
    String rbac = Files.readString(dir.resolve("rbac.yaml"));
    assertThat(rbac)
        .contains("kind: Role\n")
        .contains("kind: RoleBinding")
        .contains("resources: [\"endpoints\"]")
        .contains("verbs: [\"get\", \"list\", \"watch\"]");
    assertThat(Files.readString(dir.resolve("service-account.yaml")))
        .contains("kind: ServiceAccount")
        .contains("name: flare");
    assertThat(Files.readString(dir.resolve("service.yaml")))
        .contains("clusterIP: None")
        .contains("port: 47500")
        .contains("port: 47100");
    assertThat(Files.readString(dir.resolve("statefulset.yaml")))
        .contains("kind: StatefulSet")
        .contains("serviceAccountName: flare")
        .contains("org.apache.ignite.startup.cmdline.CommandLineStartup")
        .contains("/opt/flare/config/flare-kubernetes.xml")
        .contains("libs/optional/ignite-kubernetes/*")
        .contains("-Dflare.host=$POD_IP");
    assertThat(Files.readString(dir.resolve("Dockerfile")))
        .contains("flare-ignite-plugin-0.1.0-SNAPSHOT-dropin.jar")
        .contains("config/flare-kubernetes.xml");
  }
}
