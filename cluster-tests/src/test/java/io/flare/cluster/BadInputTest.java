package io.flare.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.flare.api.Flare;
import io.flare.api.exception.FlareException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad deployment input gives a clear error naming the file, the property or the addresses, and ends
 * (an exception in a driver, an exit of a server JVM) instead of hanging.
 */
@Tag("cluster")
class BadInputTest {
  /** Line 7 closes {@code <beans>} while {@code <bean>} is still open: not well-formed. */
  private static final String MALFORMED =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <beans xmlns="http://www.springframework.org/schema/beans"
             xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
             xsi:schemaLocation="http://www.springframework.org/schema/beans
                                 http://www.springframework.org/schema/beans/spring-beans.xsd">
        <bean class="org.apache.ignite.configuration.IgniteConfiguration">
      </beans>
      """;

  @AfterEach
  void noFlareLeft() {
    Flare.shutdown();
  }

  @Test
  void malformedXml_failsInit_namingTheFileAndLine(@TempDir Path dir) throws Exception {
    Path xml = Files.writeString(dir.resolve("broken-client.xml"), MALFORMED);
    Throwable t = timed(() -> Flare.init(xml.toString()), Duration.ofSeconds(20));
    assertThat(t).isInstanceOf(FlareException.class);
    assertThat(t.getMessage())
        .contains("broken-client.xml")
        .contains("Line 7 in XML document")
        .contains("SAXParseException");
    assertThat(Flare.isInitialized()).isFalse();
  }

  @Test
  void missingFile_failsInit_namingThePath() {
    Path missing = ClusterEnv.configDir().resolve("no-such-flare.xml");
    Throwable t = timed(() -> Flare.init(missing.toString()), Duration.ofSeconds(10));
    assertThat(t)
        .isInstanceOf(FlareException.class)
        .hasMessageContaining("no-such-flare.xml")
        .hasMessageContaining("does not exist");
  }

  @Test
  void wrongPropertyValue_failsInit_namingTheValueAndTheFile() {
    Map<String, String> props =
        Map.of("flare.join.timeout", "soon", "flare.instance.name", "bad-property-client");
    Throwable t =
        timed(
            () -> Drivers.initFlare(ClusterEnv.config("flare-client.xml"), props),
            Duration.ofSeconds(20));
    assertThat(t)
        .isInstanceOf(FlareException.class)
        .hasMessageContaining("flare-client.xml")
        .hasMessageContaining("\"soon\"")
        .hasMessageContaining("joinTimeout");
  }

  @Test
  void wrongNetworkProperties_failInitAtOnce_namingThePropertyAndTheValue() {
    String[][] cases = {
      {"flare.communication.port", "99999", "not a port number"},
      {"flare.host", "203.0.113.7", "not an address of this machine"},
      {"flare.discovery.addresses", "foo:bar:baz", "bad entry 'foo:bar:baz'"},
      {"flare.discovery.addresses", "127.0.0.1:47500..47400", "ends before it starts"},
    };
    for (String[] c : cases) {
      Map<String, String> props = Map.of(c[0], c[1], "flare.instance.name", "bad-network-client");
      Throwable t =
          timed(
              () -> Drivers.initFlare(ClusterEnv.config("flare-client.xml"), props),
              Duration.ofSeconds(10));
      assertThat(t)
          .as(c[0] + "=" + c[1])
          .isInstanceOf(FlareException.class)
          .hasMessageContaining("flare-client.xml")
          .hasMessageContaining(c[0] + "=" + c[1])
          .hasMessageContaining(c[2]);
    }
  }

  @Test
  void wrongFlareSetting_failsInit_namingThePropertyAndItsRange() {
    Map<String, String> props =
        Map.of(
            "flare.max.retries",
            "-5",
            "flare.instance.name",
            "bad-setting-client",
            "flare.join.timeout",
            "3000",
            "flare.discovery.addresses",
            "127.0.0.1:" + PortBlock.allocate(2).base());
    Throwable t =
        timed(
            () -> Drivers.initFlare(ClusterEnv.config("flare-client.xml"), props),
            Duration.ofSeconds(20));
    assertThat(t)
        .isInstanceOf(FlareException.class)
        .hasMessageContaining("defaultMaxRetries must be >= -1, got -5");
  }

  @Test
  void clientWithNoServer_failsWithinItsJoinTimeout_insteadOfWaitingForever() {
    Throwable t = lonelyClient(PortBlock.allocate(3));
    assertThat(t)
        .isInstanceOf(FlareException.class)
        .hasMessageContaining("flare-client.xml")
        .hasMessageContaining("Join process timed out (timeout = 3000)");
  }

  @Test
  void clientWithNoServer_failsNamingTheAddressesItTried() {
    PortBlock nobody = PortBlock.allocate(3);
    Throwable t = lonelyClient(nobody);
    assertThat(t.getMessage())
        .contains("127.0.0.1:" + nobody.port(0))
        .contains("flare.discovery.addresses");
  }

  /** A client of flare-client.xml whose discovery addresses have no server, joinTimeout 3 s. */
  private static Throwable lonelyClient(PortBlock nobody) {
    String addresses = "127.0.0.1:" + nobody.port(0) + ".." + nobody.port(2);
    Map<String, String> props =
        Map.of(
            "flare.discovery.addresses", addresses,
            "flare.join.timeout", "3000",
            "flare.instance.name", "lonely-client");
    return timed(
        () -> Drivers.initFlare(ClusterEnv.config("flare-client.xml"), props),
        Duration.ofSeconds(20));
  }

  @Test
  void serverJvm_withMalformedXml_exits_namingTheFile(@TempDir Path dir) throws Exception {
    Path xml = Files.writeString(dir.resolve("broken-server.xml"), MALFORMED);
    assertThat(logOfServerThatExits("broken", xml, Map.of(), "128m", dir))
        .contains("broken-server.xml")
        .contains("Line 7 in XML document");
  }

  @Test
  void serverJvm_withMissingXml_exits_namingTheFile(@TempDir Path dir) {
    Path xml = dir.resolve("absent-server.xml");
    assertThat(logOfServerThatExits("absent", xml, Map.of(), "128m", dir))
        .contains("Spring XML configuration path is invalid")
        .contains("absent-server.xml");
  }

  @Test
  void serverJvm_withWrongFlareSetting_exits_namingTheSetting(@TempDir Path dir) {
    PortBlock ports = PortBlock.allocate(2);
    Map<String, String> props =
        Map.of(
            "flare.put.backups",
            "7",
            "flare.discovery.port",
            String.valueOf(ports.port(0)),
            "flare.discovery.port.range",
            "0",
            "flare.discovery.addresses",
            "127.0.0.1:" + ports.port(0),
            "flare.communication.port",
            String.valueOf(ports.port(1)),
            "flare.communication.port.range",
            "0");
    assertThat(
            logOfServerThatExits(
                "bad-backups", ClusterEnv.config("flare-server.xml"), props, "256m", dir))
        .contains("putBackups must be 0..3, got 7");
  }

  @Test
  void serverJvm_withABadPort_exits_namingTheProperty(@TempDir Path dir) {
    PortBlock ports = PortBlock.allocate(1);
    Map<String, String> props =
        Map.of(
            "flare.discovery.port",
            String.valueOf(ports.port(0)),
            "flare.discovery.port.range",
            "0",
            "flare.discovery.addresses",
            "127.0.0.1:" + ports.port(0),
            "flare.communication.port",
            "99999");
    assertThat(
            logOfServerThatExits(
                "bad-port", ClusterEnv.config("flare-server.xml"), props, "256m", dir))
        .contains("flare.communication.port=99999")
        .contains("not a port number");
  }

  /**
   * Starts a server JVM that must refuse to start: waits (at most 60 s) for it to exit with a
   * non-zero code and returns its log; kills it in any case.
   */
  private static String logOfServerThatExits(
      String name, Path xml, Map<String, String> props, String heap, Path dir) {
    ServerProcess server =
        new ServerProcess(name, xml, props, List.of(), heap, dir.resolve("work")).start();
    try {
      assertThat(server.awaitExit(Duration.ofSeconds(60))).as("exit code of " + name).isNotZero();
      return server.logText();
    } finally {
      server.kill();
    }
  }

  /** Runs {@code r}, which must throw, and fails if it takes longer than {@code limit}. */
  private static Throwable timed(Runnable r, Duration limit) {
    long start = System.nanoTime();
    Throwable t = catchThrowable(r::run);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).as("time to fail").isLessThan(limit);
    assertThat(t).as("expected a failure").isNotNull();
    return t;
  }
}
