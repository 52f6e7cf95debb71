package io.flare.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.flare.plugin.testing.TestCluster;
import java.io.Serializable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.plugin.CachePluginContext;
import org.apache.ignite.plugin.CachePluginProvider;
import org.apache.ignite.plugin.ExtensionRegistry;
import org.apache.ignite.plugin.IgnitePlugin;
import org.apache.ignite.plugin.PluginContext;
import org.apache.ignite.plugin.PluginProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which nodes may join a Flare cluster (the plugin's {@code validateNewNode}). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MembershipTest {

  /** Stands in for "some other plugin": listing it keeps ServiceLoader from adding Flare. */
  static final class OtherPlugin
      implements PluginProvider<org.apache.ignite.plugin.PluginConfiguration> {
    @Override
    public String name() {
      return "other";
    }

    @Override
    public String version() {
      return "1";
    }

    @Override
    public String copyright() {
      return "";
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends IgnitePlugin> T plugin() {
      return (T) new IgnitePlugin() {};
    }

    @Override
    public void initExtensions(PluginContext ctx, ExtensionRegistry registry) {}

    @Override
    public <T> T createComponent(PluginContext ctx, Class<T> cls) {
      return null;
    }

    @Override
    public CachePluginProvider createCacheProvider(CachePluginContext ctx) {
      return null;
    }

    @Override
    public void start(PluginContext ctx) {}

    @Override
    public void stop(boolean cancel) {}

    @Override
    public void onIgniteStart() {}

    @Override
    public void onIgniteStop(boolean cancel) {}

    @Override
    public Serializable provideDiscoveryData(UUID nodeId) {
      return null;
    }

    @Override
    public void receiveDiscoveryData(UUID nodeId, Serializable data) {}

    @Override
    public void validateNewNode(ClusterNode node) {}
  }

  @Test
  void aNodeRunningAnotherFlareVersion_isRefusedWithAClearMessage() {
    try (TestCluster c = TestCluster.start("versions", 1)) {
      Throwable t =
          catchThrowable(
              () ->
                  c.startNode(
                      false,
                      cfg -> {
                        cfg.setPluginProviders(new OtherPlugin());
                        cfg.setPluginConfigurations();
                        cfg.setUserAttributes(Map.of("flare.version", "0.0.1-old"));
                      }));
      assertThat(t).isNotNull();
      StringBuilder all = new StringBuilder();
      for (Throwable x = t; x != null; x = x.getCause()) {
        all.append(x.getMessage()).append('\n');
      }
      assertThat(all.toString()).contains("0.0.1-old").contains("same Flare version");
      assertThat(c.node(0).cluster().nodes()).hasSize(1);
    }
  }

  /**
   * A node without the plugin could not read Flare's cache configurations (they name Flare classes)
   * and Ignite would halt it; it is refused at join instead, server or client, with the reason. In
   * this JVM the classes are loadable, so the test checks the refusal itself.
   */
  @Test
  void aNodeWithoutFlare_isRefusedWithAClearMessage_serverOrClient() {
    try (TestCluster c = TestCluster.start("mixed", 1)) {
      for (boolean client : new boolean[] {false, true}) {
        Throwable t =
            catchThrowable(
                () ->
                    c.startNode(
                        client,
                        cfg -> {
                          cfg.setPluginProviders(new OtherPlugin());
                          cfg.setPluginConfigurations();
                        }));
        assertThat(t).as(client ? "client" : "server").isNotNull();
        assertThat(messages(t)).contains("no Flare plugin").contains("dropin.jar");
        assertThat(c.node(0).cluster().nodes()).hasSize(1);
      }
      FlareRuntime flare = IgniteFlare.attach(c.node(0));
      assertThat(flare.get(flare.task(Fns::inc, 1).remote())).isEqualTo(2);
    }
  }

  /**
   * Settings that must be the same cluster-wide are checked at join: a server with another {@code
   * putBackups} (before, the first server's value silently won: a cluster whose first server had 0
   * lost put values with a node although later servers asked for 1), and any node with another
   * {@code actorShards} (its actor ids would map to other shards).
   */
  @Test
  void aNodeWhoseClusterWideSettingsDiffer_isRefusedNamingTheSetting() {
    try (TestCluster c = TestCluster.start("settings", 1)) {
      Throwable backups =
          catchThrowable(
              () ->
                  c.startNode(
                      false,
                      cfg ->
                          ((FlarePluginConfiguration) cfg.getPluginConfigurations()[0])
                              .setPutBackups(0)));
      assertThat(messages(backups)).contains("putBackups is 0 but the cluster's is 1");
      for (boolean client : new boolean[] {false, true}) {
        Throwable shards =
            catchThrowable(
                () ->
                    c.startNode(
                        client,
                        cfg ->
                            ((FlarePluginConfiguration) cfg.getPluginConfigurations()[0])
                                .setActorShards(8)));
        assertThat(messages(shards))
            .as(client ? "client" : "server")
            .contains("actorShards is 8 but the cluster's is 16");
      }
      assertThat(c.node(0).cluster().nodes()).hasSize(1);
      // a client's putBackups is not the cluster's: it joins
      Ignite client =
          c.startNode(
              true,
              cfg ->
                  ((FlarePluginConfiguration) cfg.getPluginConfigurations()[0]).setPutBackups(0));
      FlareRuntime flare = IgniteFlare.attach(client);
      assertThat(flare.get(flare.task(Fns::inc, 1).remote())).isEqualTo(2);
    }
  }

  private static String messages(Throwable t) {
    assertThat(t).isNotNull();
    StringBuilder all = new StringBuilder();
    for (Throwable x = t; x != null; x = x.getCause()) {
      all.append(x.getMessage()).append('\n');
    }
    return all.toString();
  }
}
