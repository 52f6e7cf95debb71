package io.flare.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import io.flare.api.function.FlareFunc2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster whose XML already lists {@code pluginProviders} (so Ignite does not look for plugins on
 * the classpath) runs Flare after the one line config/README.md gives.
 */
@Tag("cluster")
class ExistingClusterXmlTest {
  private static final FlareFunc2<Integer, Integer, Integer> SUM = Integer::sum;

  /** The line the README tells users to add to their pluginProviders list. */
  static final String README_LINE = "<bean class=\"io.flare.plugin.FlarePluginProvider\"/>";

  @Test
  void serverXmlListingPluginProviders_runsFlare_withTheReadmeLine(@TempDir Path dir)
      throws Exception {
    assertThat(Files.readString(ClusterEnv.configDir().resolve("README.md"))).contains(README_LINE);
    String xml = Files.readString(ClusterEnv.config("flare-server.xml"));
    String anchor = "<property name=\"clientMode\" value=\"false\"/>";
    assertThat(xml).contains(anchor);
    Path own =
        Files.writeString(
            dir.resolve("existing-server.xml"),
            xml.replace(
                anchor,
                anchor
                    + "\n    <property name=\"pluginProviders\">\n      <list>\n        "
                    + README_LINE
                    + "\n      </list>\n    </property>"));
    try (LocalCluster cluster = LocalCluster.builder("existing").servers(1).config(own).start()) {
      assertThat(cluster.server(0).logText()).contains("^-- flare 0.1.0");
      Ignite client =
          Drivers.initFlare(ClusterEnv.config("flare-client.xml"), cluster.clientProperties());
      try {
        cluster.awaitServers(client, 1, Duration.ofSeconds(60));
        ObjectRef<Integer> a = Flare.task(SUM, 30, 3).remote();
        assertThat(Flare.get(Flare.task(SUM, a, a).remote(), 60_000)).isEqualTo(66);
      } finally {
        Flare.shutdown();
      }
    }
  }
}
