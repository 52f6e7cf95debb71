package io.flare.bench;

import io.flare.plugin.FlarePluginConfiguration;
import io.flare.plugin.IgniteFlare;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;

/**
 * A server node in a separate JVM and a client node in this one joined to it, for the {@code
 * _client_jvm} rows. The server is {@code java <benchmarks/target/jvm.args> -Xms1g -Xmx1g -cp <this
 * JVM's classpath> io.flare.bench.BenchServerMain} ({@link BenchServerMain}): Flare plugin with an
 * object store of {@value #STORE_MIB} MiB, the peer's 512 MiB data region, and a private block of
 * discovery ports. The file of JVM flags is {@code -Dbench.jvmArgs} (set by {@code
 * benchmarks/run}), else {@code benchmarks/target/jvm.args}. The process is destroyed on {@link
 * #close()}, when starting it fails, and by a shutdown hook should this JVM exit first; it also
 * exits by itself when its standard input closes. Its output goes to {@code bench-server.log} next
 * to the results file.
 */
final class ServerJvm implements AutoCloseable {
  static final long STORE_MIB = 768;
  static final List<String> HEAP = List.of("-Xms1g", "-Xmx1g");

  private final Process process;
  private final Thread hook;
  private final Ignite client;
  private final Path clientDir;
  private final Driver driver;

  private ServerJvm(Process process, Thread hook, Ignite client, Path clientDir) {
    this.process = process;
    this.hook = hook;
    this.client = client;
    this.clientDir = clientDir;
    this.driver =
        new Driver(Side.CLIENT_JVM, client, IgniteFlare.attach(client), new IgnitePeer(client));
  }

  Driver driver() {
    return driver;
  }

  /** Starts the server JVM, waits until its node is up, and joins it with a client node here. */
  static ServerJvm start() {
    int discoBase = BenchCluster.freeBlock(BenchCluster.PORTS);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs());
    cmd.addAll(HEAP);
    for (String setting : List.of("bench.chunkSize", "bench.chunkCacheSize")) {
      if (System.getProperty(setting) != null) {
        cmd.add("-D" + setting + "=" + System.getProperty(setting));
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(BenchServerMain.class.getName());
    cmd.add(Integer.toString(discoBase));
    cmd.add(Long.toString(STORE_MIB));
    Path log =
        Path.of(System.getProperty("bench.out", "benchmarks/target/results.json"))
            .toAbsolutePath()
            .resolveSibling("bench-server.log");
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the server JVM: " + cmd, e);
    }
    Thread hook = new Thread(p::destroyForcibly, "bench-server-jvm-reaper");
    Runtime.getRuntime().addShutdownHook(hook);
    Ignite client = null;
    Path clientDir = null;
    try {
      CompletableFuture<String> ready = new CompletableFuture<>();
      Thread pump = new Thread(() -> pump(p, log, ready), "bench-server-jvm-output");
      pump.setDaemon(true);
      pump.start();
      String serverId = ready.get(90, TimeUnit.SECONDS);
      System.out.println("  server JVM pid " + p.pid() + " up, node " + serverId + ", log " + log);
      IgniteConfiguration cfg =
          BenchCluster.configuration(
              new FlarePluginConfiguration(),
              "flare-bench-jvm-client-" + discoBase,
              discoBase,
              true);
      clientDir = Path.of(cfg.getWorkDirectory());
      client = Ignition.start(cfg);
      BenchCluster.checkSize(client, 2);
      return new ServerJvm(p, hook, client, clientDir);
    } catch (Exception e) {
      if (client != null) {
        Ignition.stop(client.name(), true);
      }
      delete(clientDir);
      destroy(p);
      removeHook(hook);
      throw new IllegalStateException("the server JVM did not come up (see " + log + ")", e);
    }
  }

  /** Copies the server's output to {@code log}; completes {@code ready} with its node id. */
  private static void pump(Process p, Path log, CompletableFuture<String> ready) {
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.newLine();
        out.flush();
        if (line.startsWith(BenchServerMain.READY)) {
          ready.complete(line.substring(BenchServerMain.READY.length()).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      ready.completeExceptionally(e);
    }
    ready.completeExceptionally(
        new IllegalStateException("the server JVM exited before it was ready"));
  }

  /** The JVM flags of the root pom, as the build copied them. */
  private static List<String> jvmArgs() {
    Path file = Path.of(System.getProperty("bench.jvmArgs", "benchmarks/target/jvm.args"));
    try {
      List<String> args = new ArrayList<>();
      for (String a : Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+")) {
        if (!a.isEmpty()) {
          args.add(a);
        }
      }
      return args;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the JVM flags from " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      Ignition.stop(client.name(), true);
    } catch (RuntimeException ignored) {
      // already stopped
    }
    delete(clientDir);
    destroy(process);
    removeHook(hook);
  }

  /** Closes the server's stdin (it stops cleanly), then destroys it, forcibly if need be. */
  private static void destroy(Process p) {
    try {
      p.getOutputStream().close();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (IOException | InterruptedException e) {
      p.destroyForcibly();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException ignored) {
      // the JVM is shutting down: the hook runs anyway
    }
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (var s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
    } catch (IOException | RuntimeException ignored) {
      // best effort
    }
  }
}
