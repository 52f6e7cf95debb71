package io.flare.plugin.internal;

import io.flare.api.exception.FlareException;
import io.flare.api.spi.FlareRuntimeFactory;
import io.flare.api.spi.FlareRuntimeSpi;
import io.flare.plugin.FlarePlugin;
import io.flare.plugin.FlarePluginConfiguration;
import io.flare.plugin.FlarePluginProvider;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.failure.StopNodeFailureHandler;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

/**
 * What {@code Flare.init} starts: an embedded single-node Ignite cluster bound to loopback on free
 * ports (it lists only its own address, so it never joins or is joined by other programs' nodes),
 * or a node from a Spring XML file. Found by {@code ServiceLoader}.
 */
public final class IgniteRuntimeFactory implements FlareRuntimeFactory {
  /**
   * Messages a node receives before it acknowledges them (Ignite's default is 32). A sender keeps
   * every message until it is acknowledged, so with 32 a value's 4 MiB chunks — a read's replies, a
   * put's writes — stayed on the sender's heap after the transfer: 100 MiB after reading a 100 MiB
   * value (measured), enough to run a 512 MiB driver out of heap reading 200 MiB. With 8 at most 8
   * chunks wait per connection.
   */
  public static final int ACK_SEND_THRESHOLD = 8;

  private static final AtomicInteger EMBEDDED = new AtomicInteger();

  static {
    setDefault("IGNITE_UPDATE_NOTIFIER", "false");
    setDefault("IGNITE_NO_ASCII", "true");
    setDefault("IGNITE_PERFORMANCE_SUGGESTIONS_DISABLED", "true");
    setDefault("java.net.preferIPv4Stack", "true");
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  @Override
  public FlareRuntimeSpi start(String springXmlPathOrUrl) {
    JavaFlags.check();
    Ignite ignite = springXmlPathOrUrl == null ? startEmbedded() : startFromXml(springXmlPathOrUrl);
    FlareNode node = nodeOf(ignite);
    node.setOwnsIgnite(true);
    return node;
  }

  /** The Flare runtime of a started node. */
  public static FlareNode nodeOf(Ignite ignite) {
    FlarePlugin plugin;
    try {
      plugin = ignite.plugin(FlarePluginProvider.NAME);
    } catch (RuntimeException e) {
      throw new FlareException(
          "Ignite node '"
              + ignite.name()
              + "' runs without the Flare plugin: its configuration lists pluginProviders without"
              + " io.flare.plugin.FlarePluginProvider (add it there, or remove the list so the"
              + " plugin is found on the classpath)",
          e);
    }
    return plugin.node();
  }

  private static Ignite startFromXml(String path) {
    String where = path;
    boolean url = path.contains("://") || path.startsWith("file:") || path.startsWith("classpath:");
    if (!url) {
      File f = new File(path);
      if (!f.isFile()) {
        throw new FlareException(
            "Flare configuration file '"
                + path
                + "' does not exist (resolved to "
                + f.getAbsolutePath()
                + ")");
      }
      where = f.getAbsolutePath();
    }
    // Before Spring reads the file: Ignite's own setters would fail first, with their words, on
    // some bad values (an address range that ends before it starts). The plugin checks again as
    // the node starts, for servers started by Ignite's command line.
    FlareProperties.check("'" + path + "'");
    try {
      if (url && !path.startsWith("classpath:")) {
        return Ignition.start(new URL(path));
      }
      return Ignition.start(where);
    } catch (IgniteException | IOException e) {
      String hint = "";
      String msg = rootMessage(e);
      if (msg.contains("Join process timed out")
          || msg.contains("Failed to connect to any address")) {
        hint = joinHint(where, url);
      }
      throw new FlareException("Cannot start a Flare node from '" + path + "': " + msg + hint, e);
    }
  }

  /**
   * For a node that found no cluster to join: the addresses it tried and the timeout, read back
   * from the same file (best effort).
   */
  private static String joinHint(String where, boolean url) {
    try (org.springframework.context.support.GenericApplicationContext ctx =
        new org.springframework.context.support.GenericApplicationContext()) {
      org.springframework.beans.factory.xml.XmlBeanDefinitionReader reader =
          new org.springframework.beans.factory.xml.XmlBeanDefinitionReader(ctx);
      reader.loadBeanDefinitions(
          url
              ? new org.springframework.core.io.UrlResource(where)
              : new org.springframework.core.io.FileSystemResource(where));
      ctx.refresh();
      for (IgniteConfiguration cfg : ctx.getBeansOfType(IgniteConfiguration.class).values()) {
        if (cfg.getDiscoverySpi() instanceof TcpDiscoverySpi spi) {
          String addresses;
          try {
            addresses = String.valueOf(spi.getIpFinder().getRegisteredAddresses());
          } catch (RuntimeException e) {
            // a finder that asks a service (Kubernetes' API server) failed: say why
            return "; its IP finder "
                + spi.getIpFinder().getClass().getSimpleName()
                + " found no address to try: "
                + rootMessage(e)
                + " (joinTimeout="
                + spi.getJoinTimeout()
                + " ms)";
          }
          return "; no node answered at "
              + addresses
              + " within joinTimeout="
              + spi.getJoinTimeout()
              + " ms: check that the servers run and are reachable, or set"
              + " flare.discovery.addresses / flare.join.timeout";
        }
      }
    } catch (RuntimeException | LinkageError | java.io.IOException ignored) {
      // best effort
    }
    return "";
  }

  private static String rootMessage(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t.getMessage() != null && !sb.toString().contains(t.getMessage())) {
        sb.append(" <- ").append(t.getMessage());
      }
    }
    return sb.toString();
  }

  private static Ignite startEmbedded() {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      IgniteConfiguration cfg = embeddedConfiguration(new FlarePluginConfiguration());
      try {
        return Ignition.start(cfg);
      } catch (IgniteException e) {
        last = e;
        deleteQuietly(Path.of(cfg.getWorkDirectory()));
      }
    }
    throw new FlareException("Cannot start the embedded Flare node: " + rootMessage(last), last);
  }

  /**
   * The configuration of an embedded node: loopback only, private free ports, its own work
   * directory, quiet logging, no thin-client or REST ports, and a failure handler that stops the
   * node instead of halting the JVM.
   */
  public static IgniteConfiguration embeddedConfiguration(FlarePluginConfiguration flare) {
    int discoPort = freePort();
    int commPort = freePort();
    Path work;
    try {
      work = Files.createTempDirectory("flare-embedded-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder();
    finder.setAddresses(List.of("127.0.0.1:" + discoPort));
    TcpDiscoverySpi disco = new TcpDiscoverySpi();
    disco.setLocalAddress("127.0.0.1");
    disco.setLocalPort(discoPort);
    disco.setLocalPortRange(0);
    disco.setIpFinder(finder);
    TcpCommunicationSpi comm = new TcpCommunicationSpi();
    comm.setLocalAddress("127.0.0.1");
    comm.setLocalPort(commPort);
    comm.setLocalPortRange(0);
    comm.setSocketSendBuffer(0);
    comm.setSocketReceiveBuffer(0);
    comm.setAckSendThreshold(ACK_SEND_THRESHOLD);
    IgniteConfiguration cfg = new IgniteConfiguration();
    cfg.setIgniteInstanceName("flare-embedded-" + EMBEDDED.incrementAndGet());
    cfg.setWorkDirectory(work.toString());
    cfg.setLocalHost("127.0.0.1");
    cfg.setDiscoverySpi(disco);
    cfg.setCommunicationSpi(comm);
    cfg.setClientConnectorConfiguration(null);
    cfg.setConnectorConfiguration(null);
    cfg.setMetricsLogFrequency(0);
    cfg.setGridLogger(new QuietLogger("ignite"));
    cfg.setFailureHandler(new StopNodeFailureHandler());
    cfg.setDataStorageConfiguration(
        new DataStorageConfiguration()
            .setDefaultDataRegionConfiguration(
                new org.apache.ignite.configuration.DataRegionConfiguration()
                    .setName("default")
                    .setInitialSize(32L << 20)
                    .setMaxSize(128L << 20)));
    cfg.setPluginConfigurations(flare);
    return cfg;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on loopback", e);
    }
  }

  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // best effort
    }
  }
}
