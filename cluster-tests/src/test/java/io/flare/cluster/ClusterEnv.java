package io.flare.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the cluster tests find their inputs. The build (this module's pom) passes the paths as
 * system properties; run from an IDE, they default to the module's own layout ({@code ../config},
 * {@code target/server}) after one {@code mvn -pl cluster-tests generate-test-resources}.
 */
final class ClusterEnv {
  private ClusterEnv() {}

  /** The repository's {@code config/} folder. */
  static Path configDir() {
    return path("flare.cluster.configDir", "../config");
  }

  /** A file in {@code config/}, as an absolute path. */
  static Path config(String name) {
    return configDir().resolve(name).toAbsolutePath().normalize();
  }

  /** What the build prepared for server JVMs: Ignite's classpath, the drop-in and examples jars. */
  static Path serverDir() {
    return path("flare.cluster.serverDir", "target/server");
  }

  /** Root of the test nodes' work directories and logs. */
  static Path workRoot() {
    Path p = path("flare.cluster.workDir", "target/cluster-work");
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ignite's own jars (ignite-core, ignite-spring with Spring, ignite-kubernetes with Jackson). */
  static List<Path> igniteJars() {
    Path file = serverDir().resolve("ignite-classpath.txt");
    String cp = read(file).trim();
    List<Path> jars = new ArrayList<>();
    for (String entry : cp.split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        jars.add(Path.of(entry));
      }
    }
    if (jars.stream().noneMatch(j -> j.getFileName().toString().startsWith("ignite-core"))) {
      throw new IllegalStateException(file + " lists no ignite-core jar: " + cp);
    }
    return jars;
  }

  /** {@code flare-ignite-plugin-<version>-dropin.jar}, copied by the build. */
  static Path dropInJar() {
    return existing(serverDir().resolve("flare-ignite-plugin-dropin.jar"));
  }

  /** The examples jar: the "user jar" servers get until Flare ships code (issue 6 item 4). */
  static Path examplesJar() {
    return existing(serverDir().resolve("flare-examples.jar"));
  }

  /** The flags of {@code config/jvm.options}: every non-blank line not starting with '#'. */
  static List<String> jvmOptions() {
    return Arrays.stream(read(config("jvm.options")).split("\\R"))
        .map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  /** The {@code java} launcher of this JVM. */
  static String javaLauncher() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Path path(String property, String fallback) {
    return Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
  }

  private static Path existing(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(
          p + " is missing: build it with 'mvn -pl cluster-tests -am generate-test-resources'");
    }
    return p;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + p + " (run 'mvn -pl cluster-tests -am generate-test-resources')", e);
    }
  }
}
