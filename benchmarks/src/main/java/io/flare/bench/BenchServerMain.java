package io.flare.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;

/**
 * The server JVM of the {@code _client_jvm} rows, started by {@link ServerJvm}: one Ignite server
 * node with the Flare plugin (object store of {@code storeMiB}) and the peer's data region, on the
 * private discovery block at {@code discoBase}, configured as {@link BenchCluster} configures its
 * nodes (same communication settings). Prints {@value #READY} and the node id once started, then
 * runs until its standard input closes (the benchmark closed it, or died), stops the node, deletes
 * its work directory and exits.
 *
 * <p>Usage: {@code java <jvm.args> -cp <classpath> io.flare.bench.BenchServerMain discoBase
 * storeMiB}.
 */
public final class BenchServerMain {
  static final String READY = "FLARE-BENCH-SERVER-READY";

  private BenchServerMain() {}

  public static void main(String[] args) throws Exception {
    int discoBase = Integer.parseInt(args[0]);
    long storeBytes = Long.parseLong(args[1]) << 20;
    IgniteConfiguration cfg =
        BenchCluster.configuration(
            BenchCluster.plugin().setStoreMaxSize(storeBytes),
            "flare-bench-jvm-server-" + discoBase,
            discoBase,
            false);
    Path work = Path.of(cfg.getWorkDirectory());
    Ignite ignite;
    try {
      ignite = Ignition.start(cfg);
    } catch (RuntimeException e) {
      e.printStackTrace(System.out);
      delete(work);
      System.exit(1);
      return;
    }
    System.out.println(READY + " " + ignite.cluster().localNode().id());
    System.out.flush();
    try {
      while (System.in.read() != -1) {
        // wait for the benchmark to close our stdin
      }
    } finally {
      try {
        Ignition.stop(ignite.name(), true);
      } finally {
        delete(work);
        System.exit(0);
      }
    }
  }

  private static void delete(Path dir) {
    try (var s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException ignored) {
      // best effort
    }
  }
}
