package io.flare.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flare.api.Flare;
import io.flare.api.NodeInfo;
import io.flare.api.ObjectRef;
import io.flare.api.function.FlareFunc2;
import io.flare.plugin.FlarePluginConfiguration;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.ignite.Ignite;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.failure.StopNodeFailureHandler;
import org.apache.ignite.plugin.PluginConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.kubernetes.TcpDiscoveryKubernetesIpFinder;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.apache.ignite.ssl.SslContextFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.xml.XmlBeanDefinitionReader;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.FileSystemResource;

/**
 * Every Spring XML under {@code config/} is read here the way Ignite reads it (a Spring context,
 * one {@code IgniteConfiguration} bean), with its defaults and with overriding properties; the
 * embedded one is also started with {@code Flare.init}. The server, client, TLS and Kubernetes
 * files are also started as real nodes by the other tests of this module.
 */
@Tag("cluster")
class ConfigFilesTest {
  private static final FlareFunc2<Integer, Integer, Integer> SUM = Integer::sum;

  /** The files this module tests; a new file in config/ must be added here (and tested). */
  private static final Set<String> KNOWN =
      Set.of(
          "flare-server.xml",
          "flare-client.xml",
          "flare-embedded.xml",
          "flare-kubernetes.xml",
          "flare-server-tls.xml",
          "flare-client-tls.xml");

  @Test
  void everyXmlInConfig_isKnownToTheseTests() throws IOException {
    try (Stream<Path> files = Files.list(ClusterEnv.configDir())) {
      Set<String> xml =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".xml"))
              .collect(Collectors.toSet());
      assertThat(xml).isEqualTo(KNOWN);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "flare-server.xml",
        "flare-client.xml",
        "flare-embedded.xml",
        "flare-kubernetes.xml",
        "flare-server-tls.xml",
        "flare-client-tls.xml"
      })
  void everyXml_loadsIntoOneIgniteConfiguration_withFlareSettings(String file) {
    IgniteConfiguration cfg = load(file, Map.of());
    assertThat(flare(cfg)).isNotNull();
    assertThat(cfg.getDiscoverySpi()).isInstanceOf(TcpDiscoverySpi.class);
    TcpCommunicationSpi comm = (TcpCommunicationSpi) cfg.getCommunicationSpi();
    assertThat(comm.getSocketSendBuffer()).isZero();
    assertThat(comm.getSocketReceiveBuffer()).isZero();
    assertThat(cfg.getLocalHost()).isEqualTo("127.0.0.1");
    boolean client = file.startsWith("flare-client");
    assertThat(Boolean.TRUE.equals(cfg.isClientMode())).isEqualTo(client);
    assertThat(cfg.getSslContextFactory() != null).isEqualTo(file.endsWith("-tls.xml"));
  }

  @Test
  void serverXml_hasTheDocumentedDefaults() {
    IgniteConfiguration cfg = load("flare-server.xml", Map.of());
    TcpDiscoverySpi disco = (TcpDiscoverySpi) cfg.getDiscoverySpi();
    assertThat(disco.getLocalAddress()).isEqualTo("127.0.0.1");
    assertThat(localPort(disco)).isEqualTo(47500);
    assertThat(disco.getLocalPortRange()).isEqualTo(9);
    assertThat(ports(((TcpDiscoveryVmIpFinder) disco.getIpFinder()).getRegisteredAddresses()))
        .containsExactlyInAnyOrder(
            47500, 47501, 47502, 47503, 47504, 47505, 47506, 47507, 47508, 47509);
    TcpCommunicationSpi comm = (TcpCommunicationSpi) cfg.getCommunicationSpi();
    assertThat(comm.getLocalPort()).isEqualTo(47100);
    assertThat(cfg.getFailureDetectionTimeout()).isEqualTo(5000);
    assertThat(cfg.isPeerClassLoadingEnabled()).isFalse();
    assertThat(Path.of(cfg.getWorkDirectory()))
        .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "flare-work"));
    FlarePluginConfiguration f = flare(cfg);
    assertThat(f.getStoreMaxSize()).isZero();
    assertThat(f.getPutBackups()).isEqualTo(FlarePluginConfiguration.DEFAULT_PUT_BACKUPS);
    assertThat(f.getChunkSize()).isEqualTo(FlarePluginConfiguration.DEFAULT_CHUNK_SIZE);
    assertThat(f.getInlineThreshold()).isEqualTo(FlarePluginConfiguration.DEFAULT_INLINE_THRESHOLD);
    assertThat(f.getMaxWorkerThreads())
        .isEqualTo(FlarePluginConfiguration.DEFAULT_MAX_WORKER_THREADS);
    assertThat(f.getActorShards()).isEqualTo(FlarePluginConfiguration.DEFAULT_ACTOR_SHARDS);
    assertThat(f.isLineageEnabled()).isTrue();
    assertThat(f.getDefaultMaxRetries()).isEqualTo(3);
    assertThat(f.getResources()).isEmpty();
    assertThat(f.getAllowedClassPrefixes()).isEmpty();
    f.validate();
  }

  @Test
  void serverXml_takesEveryNetworkSettingFromSystemProperties() {
    IgniteConfiguration cfg =
        load(
            "flare-server.xml",
            Map.of(
                "flare.host", "127.0.0.5",
                "flare.discovery.port", "21000",
                "flare.discovery.port.range", "0",
                "flare.discovery.addresses", "127.0.0.5:21000, 127.0.0.6:21000..21001",
                "flare.communication.port", "21010",
                "flare.work.dir", "/tmp/flare-config-test",
                "flare.failure.detection.timeout", "2500",
                "flare.store.size", "134217728",
                "flare.put.backups", "2"));
    TcpDiscoverySpi disco = (TcpDiscoverySpi) cfg.getDiscoverySpi();
    assertThat(cfg.getLocalHost()).isEqualTo("127.0.0.5");
    assertThat(disco.getLocalAddress()).isEqualTo("127.0.0.5");
    assertThat(localPort(disco)).isEqualTo(21000);
    assertThat(disco.getLocalPortRange()).isZero();
    assertThat(
            ((TcpDiscoveryVmIpFinder) disco.getIpFinder())
                .getRegisteredAddresses().stream()
                    .map(a -> a.getHostString() + ":" + a.getPort())
                    .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("127.0.0.5:21000", "127.0.0.6:21000", "127.0.0.6:21001");
    assertThat(((TcpCommunicationSpi) cfg.getCommunicationSpi()).getLocalPort()).isEqualTo(21010);
    assertThat(cfg.getWorkDirectory()).isEqualTo("/tmp/flare-config-test");
    assertThat(cfg.getFailureDetectionTimeout()).isEqualTo(2500);
    assertThat(flare(cfg).getStoreMaxSize()).isEqualTo(128L << 20);
    assertThat(flare(cfg).getPutBackups()).isEqualTo(2);
  }

  @Test
  void clientXml_joinsWithATimeout_onTheDefaultAddresses() {
    IgniteConfiguration cfg = load("flare-client.xml", Map.of());
    assertThat(cfg.isClientMode()).isTrue();
    TcpDiscoverySpi disco = (TcpDiscoverySpi) cfg.getDiscoverySpi();
    assertThat(disco.getJoinTimeout()).isEqualTo(30_000);
    assertThat(ports(((TcpDiscoveryVmIpFinder) disco.getIpFinder()).getRegisteredAddresses()))
        .hasSize(10)
        .contains(47500, 47509);
    assertThat(cfg.getIgniteInstanceName()).isEqualTo("flare-client");
  }

  @Test
  void tlsXml_setsTheSslContextFactory_fromProperties() throws Exception {
    IgniteConfiguration cfg =
        load(
            "flare-server-tls.xml",
            Map.of(
                "flare.ssl.keystore", "/keys/node.p12",
                "flare.ssl.keystore.password", "secret1",
                "flare.ssl.truststore", "/keys/trust.p12",
                "flare.ssl.truststore.password", "secret2",
                "flare.discovery.port", "21100"));
    SslContextFactory ssl = (SslContextFactory) cfg.getSslContextFactory();
    assertThat(ssl.getKeyStoreFilePath()).isEqualTo("/keys/node.p12");
    assertThat(ssl.getTrustStoreFilePath()).isEqualTo("/keys/trust.p12");
    assertThat(ssl.getKeyStoreType()).isEqualTo("PKCS12");
    assertThat(ssl.getProtocol()).isEqualTo("TLSv1.3");
    // the imported plain server file still reads its own properties
    assertThat(localPort((TcpDiscoverySpi) cfg.getDiscoverySpi())).isEqualTo(21100);
    assertThat(cfg.isClientMode()).isFalse();
    assertThat(load("flare-client-tls.xml", Map.of()).isClientMode()).isTrue();
  }

  @Test
  void kubernetesXml_usesTheKubernetesIpFinder_asServerOrClient() {
    IgniteConfiguration server = load("flare-kubernetes.xml", Map.of());
    TcpDiscoverySpi disco = (TcpDiscoverySpi) server.getDiscoverySpi();
    assertThat(disco.getIpFinder()).isInstanceOf(TcpDiscoveryKubernetesIpFinder.class);
    assertThat(localPort(disco)).isEqualTo(47500);
    assertThat(server.isClientMode()).isFalse();
    IgniteConfiguration client =
        load("flare-kubernetes.xml", Map.of("flare.client", "true", "flare.host", "10.1.2.3"));
    assertThat(client.isClientMode()).isTrue();
    assertThat(client.getLocalHost()).isEqualTo("10.1.2.3");
  }

  @Test
  void embeddedXml_startsASingleNodeCluster_thatRunsTasks() {
    PortBlock ports = PortBlock.allocate(2);
    Path work = ClusterEnv.workRoot().resolve("embedded-xml-" + ports.base());
    Map<String, String> props =
        Map.of(
            "flare.discovery.port", String.valueOf(ports.port(0)),
            "flare.communication.port", String.valueOf(ports.port(1)),
            "flare.work.dir", work.toString(),
            "flare.store.size", String.valueOf(64L << 20),
            "flare.instance.name", "embedded-xml-test");
    try {
      Ignite ignite = Drivers.initFlare(ClusterEnv.config("flare-embedded.xml"), props);
      assertThat(ignite.cluster().nodes()).hasSize(1);
      assertThat(ignite.cluster().localNode().isClient()).isFalse();
      assertThat(ignite.configuration().getClientConnectorConfiguration()).isNull();
      assertThat(ignite.configuration().getConnectorConfiguration()).isNull();
      assertThat(ignite.configuration().getFailureHandler())
          .isInstanceOf(StopNodeFailureHandler.class);
      ObjectRef<Integer> a = Flare.task(SUM, 20, 1).remote();
      ObjectRef<Integer> b = Flare.task(SUM, a, a).remote();
      assertThat(Flare.get(b, 30_000)).isEqualTo(42);
      List<NodeInfo> nodes = Flare.getRuntimeContext().getAllNodeInfo();
      assertThat(nodes).hasSize(1);
      assertThat(nodes.get(0).isServer()).isTrue();
    } finally {
      Flare.shutdown();
    }
  }

  @Test
  void serverClasspath_isIgnitesJarsAndTheDropInJarOnly() {
    ServerProcess probe =
        new ServerProcess(
            "probe",
            ClusterEnv.config("flare-server.xml"),
            Map.of(),
            List.of(),
            "128m",
            ClusterEnv.workRoot().resolve("probe"));
    List<String> names = probe.classpath().stream().map(p -> p.getFileName().toString()).toList();
    assertThat(names).contains("flare-ignite-plugin-dropin.jar");
    assertThat(names)
        .filteredOn(n -> n.contains("flare") || n.contains("kryo") || n.contains("junit"))
        .containsExactly("flare-ignite-plugin-dropin.jar");
    assertThat(names).anyMatch(n -> n.startsWith("ignite-core-"));
    assertThat(names).anyMatch(n -> n.startsWith("ignite-spring-"));
    assertThat(names).anyMatch(n -> n.startsWith("ignite-kubernetes-"));
    assertThat(probe.classpath()).noneMatch(p -> Files.isDirectory(p));
  }

  /** Loads {@code config/<file>} as Ignite does, with {@code properties} set meanwhile. */
  static IgniteConfiguration load(String file, Map<String, String> properties) {
    return Drivers.withSystemProperties(
        properties,
        () -> {
          try (GenericApplicationContext ctx = new GenericApplicationContext()) {
            new XmlBeanDefinitionReader(ctx)
                .loadBeanDefinitions(new FileSystemResource(ClusterEnv.config(file)));
            ctx.refresh();
            Collection<IgniteConfiguration> all =
                ctx.getBeansOfType(IgniteConfiguration.class).values();
            assertThat(all).as(file + ": IgniteConfiguration beans").hasSize(1);
            return all.iterator().next();
          }
        });
  }

  private static FlarePluginConfiguration flare(IgniteConfiguration cfg) {
    PluginConfiguration[] all = cfg.getPluginConfigurations();
    assertThat(all).isNotNull();
    return Arrays.stream(all)
        .filter(FlarePluginConfiguration.class::isInstance)
        .map(FlarePluginConfiguration.class::cast)
        .findFirst()
        .orElseThrow();
  }

  /**
   * The configured discovery port ({@code getLocalPort()} reports the bound port, 0 before start).
   */
  private static int localPort(TcpDiscoverySpi disco) {
    try {
      java.lang.reflect.Field f = TcpDiscoverySpi.class.getDeclaredField("locPort");
      f.setAccessible(true);
      return f.getInt(disco);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("TcpDiscoverySpi.locPort not readable on this Ignite version", e);
    }
  }

  private static List<Integer> ports(Collection<InetSocketAddress> addresses) {
    return addresses.stream().map(InetSocketAddress::getPort).toList();
  }
}
