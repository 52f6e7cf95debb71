package io.flare.bench;

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
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

/**
 * The nodes the benchmarks run on, all in this JVM: one server node with the Flare plugin and its
 * default settings (what {@code Flare.init()} starts: loopback only, one worker slot per core),
 * and, when a {@code _client} benchmark first asks for it, one thick client node joined to it. The
 * cluster lives on a private block of loopback ports, so it never merges with other programs'
 * Ignite nodes; its size is checked after each start. Each node has its own work directory, deleted
 * on {@link #close()}.
 */
final class BenchCluster implements AutoCloseable {
  private static final int PORTS = 4;

  private final int discoBase = freeBlock(PORTS);
  private final List<Ignite> nodes = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();
  private Driver server;
  private Driver client;

  /** The driver on the server node, started on first use. */
  synchronized Driver server() {
    if (server == null) {
      Ignite ignite = startNode(false);
      server =
          new Driver(Side.EMBEDDED, ignite, IgniteFlare.attach(ignite), new IgnitePeer(ignite));
    }
    return server;
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

  private Ignite startNode(boolean clientMode) {
    IgniteConfiguration cfg =
        IgniteRuntimeFactory.embeddedConfiguration(new FlarePluginConfiguration());
    dirs.add(Path.of(cfg.getWorkDirectory()));
    cfg.setIgniteInstanceName(
        "flare-bench-" + (clientMode ? "client" : "server") + "-" + discoBase);
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
    Ignite ignite = Ignition.start(cfg);
    nodes.add(ignite);
    int size = ignite.cluster().nodes().size();
    if (size != nodes.size()) {
      throw new IllegalStateException(
          "the benchmark cluster has "
              + size
              + " nodes, expected "
              + nodes.size()
              + ": another program's Ignite joined it");
    }
    return ignite;
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
  private static int freeBlock(int n) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20000 + ThreadLocalRandom.current().nextInt(20000);
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
