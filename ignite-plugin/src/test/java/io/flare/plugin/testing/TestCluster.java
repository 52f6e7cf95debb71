package io.flare.plugin.testing;

import io.flare.plugin.FlarePluginConfiguration;
import io.flare.plugin.internal.IgniteRuntimeFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

/**
 * Real Ignite nodes in this JVM for tests: each cluster gets a private block of loopback ports (so
 * it never merges with other programs' nodes), its own work directories, and capped memory.
 */
public final class TestCluster implements AutoCloseable {
  /** Servers that may join after the initial ones. */
  private static final int EXTRA = 2;

  private final List<Ignite> nodes = new ArrayList<>();
  private final List<String> ids = new ArrayList<>();
  private final int discoBase;
  private final int size;
  private final String prefix;
  private final List<Path> dirs = new ArrayList<>();

  /** Communication ports reserved per cluster (servers and clients); later nodes get any. */
  private static final int COMM_PORTS = 8;

  private TestCluster(String prefix, int size) {
    this.prefix = prefix;
    this.size = size;
    this.discoBase = freeBlock(size + EXTRA + 1 + COMM_PORTS);
  }

  /** Starts {@code servers} server nodes. */
  public static TestCluster start(String prefix, int servers) {
    return start(prefix, servers, c -> {});
  }

  /** Starts {@code servers} server nodes, letting the caller adjust each node's configuration. */
  public static TestCluster start(
      String prefix, int servers, Consumer<IgniteConfiguration> customizer) {
    TestCluster c = new TestCluster(prefix, servers);
    try {
      for (int i = 0; i < servers; i++) {
        c.startNode(false, customizer);
      }
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Starts one more node (a thick client if {@code client}). */
  public Ignite startNode(boolean client, Consumer<IgniteConfiguration> customizer) {
    int index = nodes.size();
    FlarePluginConfiguration flare =
        new FlarePluginConfiguration().setStoreMaxSize(256L << 20).setWorkerThreads(2);
    IgniteConfiguration cfg = IgniteRuntimeFactory.embeddedConfiguration(flare);
    dirs.add(Path.of(cfg.getWorkDirectory()));
    cfg.setIgniteInstanceName(
        prefix + "-" + index + "-" + ThreadLocalRandom.current().nextInt(1 << 20));
    cfg.setClientMode(client);
    TcpDiscoverySpi disco = (TcpDiscoverySpi) cfg.getDiscoverySpi();
    // servers take one port each from the block (room for EXTRA servers started later); clients
    // do not listen but need a valid port
    int servers = (int) nodes.stream().filter(n -> !n.cluster().localNode().isClient()).count();
    if (!client && servers >= size + EXTRA) {
      throw new IllegalStateException("no port left in this cluster's block for another server");
    }
    disco.setLocalPort(client ? discoBase + size + EXTRA : discoBase + servers);
    disco.setLocalPortRange(0);
    TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder();
    finder.setAddresses(List.of("127.0.0.1:" + discoBase + ".." + (discoBase + size + EXTRA - 1)));
    disco.setIpFinder(finder);
    disco.setJoinTimeout(20_000);
    if (index < COMM_PORTS) {
      // from the cluster's block, below the OS's ephemeral range: a port the OS handed out and
      // took back (the embedded default) may go to an outgoing connection before the node binds
      ((org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi) cfg.getCommunicationSpi())
          .setLocalPort(discoBase + size + EXTRA + 1 + index);
    }
    customizer.accept(cfg);
    Ignite ignite = Ignition.start(cfg);
    nodes.add(ignite);
    ids.add(ignite.cluster().localNode().id().toString());
    return ignite;
  }

  public Ignite node(int i) {
    return nodes.get(i);
  }

  /** The id of node {@code i}, also after it stopped. */
  public String nodeId(int i) {
    return ids.get(i);
  }

  public List<Ignite> nodes() {
    return List.copyOf(nodes);
  }

  /** Stops node {@code i} (as a failure would: running jobs cancelled). */
  public void stop(int i) {
    Ignition.stop(nodes.get(i).name(), true);
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      try {
        Ignition.stop(nodes.get(i).name(), true);
      } catch (RuntimeException ignored) {
        // already stopped
      }
    }
    for (Path d : dirs) {
      deleteTree(d);
    }
  }

  private static void deleteTree(Path d) {
    try (var s = Files.walk(d)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException ignored) {
      // best effort
    }
  }

  /** A block of {@code n} consecutive free loopback ports. */
  static int freeBlock(int n) {
    for (int attempt = 0; attempt < 200; attempt++) {
      // below 32768, where Linux starts handing out ephemeral ports for outgoing connections:
      // a test once failed to bind a port of its block that such a connection had taken
      int base = 20000 + ThreadLocalRandom.current().nextInt(12000 - n);
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
