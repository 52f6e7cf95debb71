package io.flare.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One stock Ignite server JVM: {@code java <config/jvm.options> -cp <Ignite's jars + the Flare
 * drop-in jar [+ user jars]> org.apache.ignite.startup.cmdline.CommandLineStartup <xml>}, with its
 * settings passed as {@code -Dflare.*} system properties the XML reads. Its output goes to {@code
 * <work dir>/server.log}, appended across restarts.
 *
 * <p>Every process started here is tracked: a JVM shutdown hook kills what is left, and at class
 * load any server left behind by an earlier test JVM that died without its hook (recognised by the
 * {@code -Dflare.cluster.owner=<pid>} marker on its command line, whose owner is gone) is killed.
 */
final class ServerProcess implements AutoCloseable {
  /** Printed by Ignite (also in quiet mode) once the node has joined and started. */
  static final String STARTED_LINE = "Ignite node started OK";

  private static final String OWNER_PROPERTY = "flare.cluster.owner";
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    reapOrphans();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(Process::destroyForcibly), "flare-cluster-killer"));
  }

  private final String name;
  private final Path config;
  private final Map<String, String> properties;
  private final List<Path> userJars;
  private final String heap;
  private final Path workDir;
  private final Path log;
  private Process process;
  private int starts;

  /**
   * A server that is not started yet.
   *
   * @param name for messages and its work directory
   * @param config the Spring XML it starts from
   * @param properties {@code -D} settings the XML reads ({@code flare.work.dir} is set here)
   * @param userJars application jars added to the classpath (none for a stock server)
   * @param heap {@code -Xmx}, such as {@code 384m}
   * @param workDir its own work directory
   */
  ServerProcess(
      String name,
      Path config,
      Map<String, String> properties,
      List<Path> userJars,
      String heap,
      Path workDir) {
    this.name = name;
    this.config = config.toAbsolutePath();
    this.properties = new LinkedHashMap<>(properties);
    this.properties.put("flare.work.dir", workDir.toAbsolutePath().toString());
    this.userJars = List.copyOf(userJars);
    this.heap = heap;
    this.workDir = workDir;
    this.log = workDir.resolve("server.log");
  }

  String name() {
    return name;
  }

  Path logFile() {
    return log;
  }

  /** The classpath: Ignite's jars, the drop-in jar, then the user jars; nothing else. */
  List<Path> classpath() {
    List<Path> cp = new ArrayList<>(ClusterEnv.igniteJars());
    cp.add(ClusterEnv.dropInJar());
    cp.addAll(userJars);
    return cp;
  }

  /** The full command line. */
  List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(ClusterEnv.javaLauncher());
    cmd.addAll(ClusterEnv.jvmOptions());
    cmd.add("-Xms64m");
    cmd.add("-Xmx" + heap);
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-DIGNITE_QUIET=true");
    cmd.add("-DIGNITE_PERFORMANCE_SUGGESTIONS_DISABLED=true");
    cmd.add("-D" + OWNER_PROPERTY + "=" + ProcessHandle.current().pid());
    properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, classpath().stream().map(Path::toString).toList()));
    cmd.add("org.apache.ignite.startup.cmdline.CommandLineStartup");
    cmd.add(config.toString());
    return cmd;
  }

  /** Starts the JVM; returns at once (see {@link #awaitStarted}). */
  synchronized ServerProcess start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    try {
      Files.createDirectories(workDir);
      Files.writeString(
          log,
          "=== start " + (++starts) + ": " + String.join(" ", command()) + System.lineSeparator(),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder pb = new ProcessBuilder(command());
      pb.directory(workDir.toFile());
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      process = pb.start();
      LIVE.add(process);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start server " + name, e);
    }
  }

  /**
   * Waits until the node prints {@link #STARTED_LINE} for the current start; fails at once, with
   * the end of its log, if the process exits first, and after {@code timeout} otherwise.
   */
  ServerProcess awaitStarted(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int wanted = starts;
    while (true) {
      if (countStarted() >= wanted) {
        return this;
      }
      Process p = process;
      if (p == null || !p.isAlive()) {
        throw new IllegalStateException(
            "server "
                + name
                + " exited"
                + (p == null ? "" : " with code " + p.exitValue())
                + " before it started; end of "
                + log
                + ":\n"
                + logTail(40));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "server "
                + name
                + " did not start within "
                + timeout
                + "; end of log:\n"
                + logTail(40));
      }
      sleepQuietly(100);
    }
  }

  private int countStarted() {
    String text = logText();
    int n = 0;
    for (int i = text.indexOf(STARTED_LINE); i >= 0; i = text.indexOf(STARTED_LINE, i + 1)) {
      n++;
    }
    return n;
  }

  boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /**
   * SIGKILL ({@code kill -9}): the node gets no chance to leave the cluster. Waits for the exit.
   */
  synchronized void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    waitFor(p, Duration.ofSeconds(20));
    LIVE.remove(p);
  }

  /** Sends SIGKILL without waiting for the exit (see {@link LocalCluster#killTogether}). */
  synchronized void sendKill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  /** SIGTERM, so the node leaves the cluster; SIGKILL if it has not exited within 10 s. */
  synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    if (p.isAlive()) {
      p.destroy();
      if (!waitFor(p, Duration.ofSeconds(10))) {
        p.destroyForcibly();
        waitFor(p, Duration.ofSeconds(20));
      }
    }
    LIVE.remove(p);
  }

  /** Kills the process if it is alive (SIGKILL) and starts it again with the same settings. */
  synchronized ServerProcess restart() {
    kill();
    return start();
  }

  /** Waits for the process to exit by itself; returns its exit code, or fails after timeout. */
  int awaitExit(Duration timeout) {
    Process p = process;
    if (!waitFor(p, timeout)) {
      throw new IllegalStateException(
          "server " + name + " still runs after " + timeout + "; end of log:\n" + logTail(40));
    }
    LIVE.remove(p);
    return p.exitValue();
  }

  /** The whole log (all starts). */
  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** The last {@code lines} lines of the log. */
  String logTail(int lines) {
    List<String> all = logText().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  @Override
  public void close() {
    stop();
  }

  private static boolean waitFor(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return false;
    }
  }

  static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Kills server JVMs left by earlier test JVMs that are gone (only those with our marker). */
  private static void reapOrphans() {
    String marker = "-D" + OWNER_PROPERTY + "=";
    ProcessHandle.allProcesses()
        .forEach(
            h -> {
              String[] args = h.info().arguments().orElse(new String[0]);
              for (String a : args) {
                if (a.startsWith(marker)) {
                  long owner = parsePid(a.substring(marker.length()));
                  boolean ownerAlive =
                      owner > 0
                          && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
                  if (!ownerAlive) {
                    h.destroyForcibly();
                  }
                  return;
                }
              }
            });
  }

  private static long parsePid(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
