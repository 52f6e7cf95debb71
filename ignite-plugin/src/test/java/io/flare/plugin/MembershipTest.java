package io.flare.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.flare.api.ObjectRef;
import io.flare.plugin.testing.TestCluster;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  @Test
  void aServerWithoutFlare_mayJoin_butNeverRunsFlareWork() {
    try (TestCluster c = TestCluster.start("mixed", 1)) {
      Ignite plain =
          c.startNode(
              false,
              cfg -> {
                cfg.setPluginProviders(new OtherPlugin());
                cfg.setPluginConfigurations();
              });
      assertThat(c.node(0).cluster().forServers().nodes()).hasSize(2);
      FlareRuntime flare = IgniteFlare.attach(c.node(0));
      List<ObjectRef<String>> where = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        where.add(flare.task(Fns::nodeId).remote());
      }
      Set<String> nodes = new HashSet<>(flare.get(where));
      assertThat(nodes).containsExactly(c.nodeId(0));
      assertThat(nodes).doesNotContain(plain.cluster().localNode().id().toString());
    }
  }
}
