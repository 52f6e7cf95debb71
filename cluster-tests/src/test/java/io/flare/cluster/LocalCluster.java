package io.flare.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.ignite.Ignite;

/**
 * A cluster of stock server JVMs ({@link ServerProcess}) on a private block of loopback ports, for
 * one test. Use it in try-with-resources (or close it in {@code @AfterEach}): closing kills every
 * server it started, and a JVM shutdown hook does the same if the test JVM exits first.
 *
 * <p>Port layout of the block of {@value #BLOCK} ports: discovery {@code base+0..9} (server {@code
 * i} takes {@code base+i}), communication {@code base+10..19} (server {@code i} takes {@code
 * base+10+i}), client communication {@code base+20..29}. Servers try no other ports (ranges 0), so
 * a taken port fails their start instead of moving them into another cluster's block.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.builder("demo").servers(2).start()) {
 *   Ignite client = Drivers.initFlare(ClusterEnv.config("flare-client.xml"), cluster.clientProperties());
 *   cluster.awaitServers(client, 2, Duration.ofSeconds(30));
 *   cluster.kill(1);       // SIGKILL
 *   cluster.restart(1);    // same ports, same work directory
 * }
 * }</pre>
 */
final class LocalCluster implements AutoCloseable {
  static final int BLOCK = 30;
  static final int MAX_SERVERS = 10;

  /** How long a server may take to print "started OK". */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final PortBlock ports;
  private final List<ServerProcess> servers = new ArrayList<>();
  private final Path workDir;
  private final Map<String, String> clientProperties;

  private LocalCluster(Builder b) {
    this.name = b.name;
    this.ports = PortBlock.allocate(BLOCK);
    this.workDir = ClusterEnv.workRoot().resolve(b.name + "-" + ports.base());
    String addresses = "127.0.0.1:" + ports.port(0) + ".." + ports.port(b.servers - 1);
    for (int i = 0; i < b.servers; i++) {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("flare.host", "127.0.0.1");
      p.put("flare.discovery.port", String.valueOf(ports.port(i)));
      p.put("flare.discovery.port.range", "0");
      p.put("flare.discovery.addresses", addresses);
      p.put("flare.communication.port", String.valueOf(ports.port(10 + i)));
      p.put("flare.communication.port.range", "0");
      p.put("flare.failure.detection.timeout", "3000");
      p.put("flare.client.failure.detection.timeout", "5000");
      p.put("flare.store.size", String.valueOf(64L << 20));
      p.put("flare.region.size", String.valueOf(64L << 20));
      p.put("flare.worker.threads", "2");
      p.putAll(b.properties);
      b.perServer.adjust(i, ports, p);
      servers.add(
          new ServerProcess(
              b.name + "-server-" + i,
              b.config,
              p,
              b.userJars,
              b.heap,
              workDir.resolve("server-" + i)));
    }
    Map<String, String> c = new LinkedHashMap<>();
    c.put("flare.host", "127.0.0.1");
    c.put("flare.discovery.addresses", addresses);
    c.put("flare.communication.port", String.valueOf(ports.port(20)));
    c.put("flare.communication.port.range", "9");
    c.put("flare.work.dir", workDir.resolve("client").toString());
    c.put("flare.join.timeout", "30000");
    c.put("flare.instance.name", b.name + "-client");
    c.putAll(b.properties);
    this.clientProperties = c;
  }

  static Builder builder(String name) {
    return new Builder(name);
  }

  String name() {
    return name;
  }

  PortBlock ports() {
    return ports;
  }

  Path workDir() {
    return workDir;
  }

  /** The {@code -D} settings a client driver of this cluster needs (flare-client.xml's). */
  Map<String, String> clientProperties() {
    return new LinkedHashMap<>(clientProperties);
  }

  ServerProcess server(int i) {
    return servers.get(i);
  }

  int size() {
    return servers.size();
  }

  /** Starts every server at once and waits until each has started. */
  LocalCluster startAll() {
    for (ServerProcess s : servers) {
      s.start();
    }
    for (ServerProcess s : servers) {
      s.awaitStarted(START_TIMEOUT);
    }
    return this;
  }

  /** SIGKILL of server {@code i} ({@code kill -9}); returns when the process is gone. */
  void kill(int i) {
    servers.get(i).kill();
  }

  /**
   * SIGKILL of several servers at the same moment (the signals go out before any exit is awaited);
   * returns when every one is gone.
   */
  void killTogether(int... indexes) {
    for (int i : indexes) {
      servers.get(i).sendKill();
    }
    for (int i : indexes) {
      servers.get(i).kill();
    }
  }

  /** Kills server {@code i} if alive and starts it again (same ports and work directory). */
  void restart(int i) {
    servers.get(i).restart().awaitStarted(START_TIMEOUT);
  }

  /**
   * Waits until {@code observer} (a node of this cluster, such as the test's client) sees exactly
   * {@code expected} server nodes; fails after {@code timeout} with what it saw and the servers'
   * logs.
   */
  void awaitServers(Ignite observer, int expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen;
    while ((seen = observer.cluster().forServers().nodes().size()) != expected) {
      if (System.nanoTime() > deadline) {
        StringBuilder sb =
            new StringBuilder(
                "cluster "
                    + name
                    + ": expected "
                    + expected
                    + " servers, "
                    + observer.name()
                    + " sees "
                    + seen
                    + " after "
                    + timeout);
        for (ServerProcess s : servers) {
          sb.append("\n--- ")
              .append(s.name())
              .append(s.isAlive() ? " (alive)" : " (not running)")
              .append(":\n")
              .append(s.logTail(15));
        }
        throw new AssertionError(sb.toString());
      }
      ServerProcess.sleepQuietly(100);
    }
  }

  /** Kills every server (they hold nothing that must survive the test). */
  @Override
  public void close() {
    for (ServerProcess s : servers) {
      s.kill();
    }
  }

  /** Adjusts the {@code -D} settings of server {@code i}, given the cluster's port block. */
  @FunctionalInterface
  interface PerServer {
    void adjust(int i, PortBlock ports, Map<String, String> properties);
  }

  /** Settings of a {@link LocalCluster}. */
  static final class Builder {
    private final String name;
    private int servers = 2;
    private Path config = ClusterEnv.config("flare-server.xml");
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<Path> userJars = new ArrayList<>();
    private String heap = "320m";
    private PerServer perServer = (i, ports, p) -> {};

    private Builder(String name) {
      this.name = name;
    }

    /** How many servers (1..10). */
    Builder servers(int n) {
      if (n < 1 || n > MAX_SERVERS) {
        throw new IllegalArgumentException("servers must be 1.." + MAX_SERVERS + ", got " + n);
      }
      this.servers = n;
      return this;
    }

    /** The servers' Spring XML (default {@code config/flare-server.xml}). */
    Builder config(Path xml) {
      this.config = xml;
      return this;
    }

    /** A {@code -D} setting for the servers and the client properties alike. */
    Builder property(String key, String value) {
      properties.put(key, value);
      return this;
    }

    /** Adjusts each server's settings after the defaults. */
    Builder perServer(PerServer f) {
      this.perServer = f;
      return this;
    }

    /** An application jar for the servers' classpath. */
    Builder userJar(Path jar) {
      userJars.add(jar);
      return this;
    }

    Builder heap(String xmx) {
      this.heap = xmx;
      return this;
    }

    /** Builds the cluster without starting it. */
    LocalCluster build() {
      return new LocalCluster(this);
    }

    /** Builds the cluster and starts every server; kills them again if one fails to start. */
    LocalCluster start() {
      LocalCluster c = build();
      try {
        return c.startAll();
      } catch (RuntimeException | Error e) {
        c.close();
        throw e;
      }
    }
  }
}
