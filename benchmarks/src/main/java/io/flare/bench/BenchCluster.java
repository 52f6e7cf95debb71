package io.flare.bench;

import io.flare.actor.ActorDirectory;
import io.flare.plugin.FlarePluginConfiguration;
import io.flare.plugin.IgniteFlare;
import io.flare.plugin.internal.IgniteRuntimeFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.services.ServiceDescriptor;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

/**
 * The nodes the benchmarks run on, all in this JVM: {@code servers} server nodes (one for the main
 * cluster, two for the actor benchmarks) with the Flare plugin and its default settings (what
 * {@code Flare.init()} starts: loopback only, one worker slot per core), and, when a {@code
 * _client} benchmark first asks for it, one thick client node joined to them. The driver of the
 * embedded rows is the first server. The cluster lives on a private block of loopback ports, so it
 * never merges with other programs' Ignite nodes; its size is checked after each start. Each node
 * has its own work directory, deleted on {@link #close()}. Every node also defines the data region
 * of the peer's large-value cache ({@link #PEER_REGION}, 512 MiB, allocated as it fills).
 */
final class BenchCluster implements AutoCloseable {
  static final int PORTS = 4;

  /** The data region of {@link IgnitePeer}'s cache for 100 MB values. */
  static final String PEER_REGION = "bench-peer-large";

  static final long PEER_REGION_SIZE = 512L << 20;

  private final int servers;
  private final int discoBase = freeBlock(PORTS);
  private final List<Ignite> nodes = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();
  private Driver server;
  private String actorHost;
  private Driver client;

  BenchCluster() {
    this(1);
  }

  BenchCluster(int servers) {
    this.servers = servers;
  }

  /**
   * The driver on a server node; all servers are started on first use. With one server, that one.
   * With several, Flare's actor shards are deployed first (one actor is created and killed) and the
   * driver is the server hosting the fewest shards, so that actors can live on another server than
   * the driver ({@link #actorHost()}): Ignite places cluster singletons by its own rule, and here
   * all shards may land on one server.
   */
  synchronized Driver server() {
    if (server == null) {
      List<Ignite> started = new ArrayList<>();
      for (int i = 0; i < servers; i++) {
        started.add(startNode(false));
      }
      Ignite ignite = started.get(0);
      if (servers > 1) {
        var flare = IgniteFlare.attach(ignite);
        flare.actor(BenchActor::new).remote().kill();
        Map<UUID, Integer> shards = new HashMap<>();
        for (Ignite n : started) {
          shards.put(n.cluster().localNode().id(), 0);
        }
        for (ServiceDescriptor d : ignite.services().serviceDescriptors()) {
          if (d.name().startsWith(ActorDirectory.SHARD_PREFIX)) {
            d.topologySnapshot().forEach((node, count) -> shards.merge(node, count, Integer::sum));
          }
        }
        System.out.println("  actor shards per server node: " + shards);
        Comparator<Ignite> byShards =
            Comparator.comparing(n -> shards.get(n.cluster().localNode().id()));
        Ignite driverNode = started.stream().min(byShards).orElseThrow();
        ignite = driverNode;
        actorHost =
            started.stream()
                .filter(n -> n != driverNode)
                .max(byShards)
                .orElseThrow()
                .cluster()
                .localNode()
                .id()
                .toString();
      }
      server =
          new Driver(Side.EMBEDDED, ignite, IgniteFlare.attach(ignite), new IgnitePeer(ignite));
    }
    return server;
  }

  /**
   * The server node that hosts the most actor shards (several servers only; else null): the actor
   * benchmarks place their actors and the peer's service there.
   */
  synchronized String actorHost() {
    server();
    return actorHost;
  }

  /** The driver on the client node, started (with the server) on first use. */
  synchronized Driver client() {
    if (client == null) {
      server();
      Ignite ignite = startNode(true);
      client = new Driver(Side.CLIENT, ignite, IgniteFlare.attach(ignite), new IgnitePeer(ignite));
    }
    return client;
  }

  synchronized Driver driver(Side side) {
    return side == Side.EMBEDDED ? server() : client();
  }

  /**
   * Flare's settings for benchmark nodes: the defaults, but {@code -Dbench.chunkSize=BYTES} and
   * {@code -Dbench.chunkCacheSize=BYTES} set the store's chunk size and chunk cache (passed on to
   * the server JVM too), to compare settings.
   */
  static FlarePluginConfiguration plugin() {
    FlarePluginConfiguration flare = new FlarePluginConfiguration();
    String chunk = System.getProperty("bench.chunkSize");
    if (chunk != null) {
      flare.setChunkSize(Integer.parseInt(chunk));
    }
    String cache = System.getProperty("bench.chunkCacheSize");
    if (cache != null) {
      flare.setChunkCacheSize(Long.parseLong(cache));
    }
    return flare;
  }

  private Ignite startNode(boolean clientMode) {
    IgniteConfiguration cfg =
        configuration(
            plugin(),
            "flare-bench-" + (clientMode ? "client" : "server-" + nodes.size()) + "-" + discoBase,
            discoBase,
            clientMode);
    dirs.add(Path.of(cfg.getWorkDirectory()));
    Ignite ignite = Ignition.start(cfg);
    nodes.add(ignite);
    checkSize(ignite, nodes.size());
    return ignite;
  }

  /** The first server node's {@code Ignite}, started on first use. */
  synchronized Ignite serverIgnite() {
    return server().ignite();
  }

  /**
   * A benchmark node's configuration: Flare's embedded one (loopback, socket buffers sized by the
   * OS, quiet, stop-node failure handler) with {@code flare}'s settings, discovering only the
   * private block of {@link #PORTS} ports at {@code discoBase}, and with the peer's {@link
   * #PEER_REGION}. Also used by {@link BenchServerMain} for the server JVM, so both ends of every
   * row share the same communication settings.
   */
  static IgniteConfiguration configuration(
      FlarePluginConfiguration flare, String name, int discoBase, boolean clientMode) {
    IgniteConfiguration cfg = IgniteRuntimeFactory.embeddedConfiguration(flare);
    cfg.setIgniteInstanceName(name);
    cfg.setClientMode(clientMode);
    TcpDiscoverySpi disco = (TcpDiscoverySpi) cfg.getDiscoverySpi();
    if (!clientMode) {
      disco.setLocalPort(discoBase); // a client keeps the free port it was given
      disco.setLocalPortRange(PORTS - 1);
    }
    TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder();
    finder.setAddresses(List.of("127.0.0.1:" + discoBase + ".." + (discoBase + PORTS - 1)));
    disco.setIpFinder(finder);
    disco.setJoinTimeout(20_000);
    DataStorageConfiguration storage = cfg.getDataStorageConfiguration();
    DataRegionConfiguration[] regions = storage.getDataRegionConfigurations();
    List<DataRegionConfiguration> all =
        new ArrayList<>(regions == null ? List.of() : List.of(regions));
    all.add(
        new DataRegionConfiguration()
            .setName(PEER_REGION)
            .setInitialSize(16L << 20)
            .setMaxSize(PEER_REGION_SIZE));
    storage.setDataRegionConfigurations(all.toArray(new DataRegionConfiguration[0]));
    return cfg;
  }

  /** Fails if the cluster {@code ignite} sees has other than {@code expected} nodes. */
  static void checkSize(Ignite ignite, int expected) {
    int size = ignite.cluster().nodes().size();
    if (size != expected) {
      throw new IllegalStateException(
          "the benchmark cluster has "
              + size
              + " nodes, expected "
              + expected
              + ": another program's Ignite joined it");
    }
  }

  @Override
  public synchronized void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      try {
        Ignition.stop(nodes.get(i).name(), true);
      } catch (RuntimeException ignored) {
        // already stopped
      }
    }
    for (Path d : dirs) {
      try (var s = Files.walk(d)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException | RuntimeException ignored) {
        // best effort
      }
    }
  }

  /** A block of {@code n} consecutive free loopback ports. */
  static int freeBlock(int n) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20000 + ThreadLocalRandom.current().nextInt(12000 - n); // below ephemeral ports
      boolean ok = true;
      for (int p = base; p < base + n && ok; p++) {
        try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(true);
        } catch (IOException e) {
          ok = false;
        }
      }
      if (ok) {
        return base;
      }
    }
    throw new IllegalStateException("no block of " + n + " free ports on loopback");
  }
}
