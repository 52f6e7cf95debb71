package io.flare.plugin;

import io.flare.plugin.internal.FlareAttributes;
import io.flare.plugin.internal.FlareExecutors;
import io.flare.plugin.internal.FlareNode;
import io.flare.store.cache.ObjectStore;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.events.EventType;
import org.apache.ignite.plugin.CachePluginContext;
import org.apache.ignite.plugin.CachePluginProvider;
import org.apache.ignite.plugin.ExtensionRegistry;
import org.apache.ignite.plugin.PluginConfiguration;
import org.apache.ignite.plugin.PluginContext;
import org.apache.ignite.plugin.PluginProvider;
import org.apache.ignite.plugin.PluginValidationException;

/**
 * Runs Flare on an Ignite node. Registered in {@code META-INF/services}, so a node with the jar on
 * its classpath loads it with no code, provided its configuration lists no {@code pluginProviders};
 * where it does, add {@code <bean class="io.flare.plugin.FlarePluginProvider"/>} to that list.
 * Settings come from a {@link FlarePluginConfiguration} among the node's {@code
 * pluginConfigurations} (defaults otherwise).
 *
 * <p>Before the node starts, the plugin adds Flare's data region ({@code flare-store}) to server
 * nodes, node attributes that advertise Flare and the node's resources, and the discovery events it
 * listens to. Once the node has joined, it creates the object-store caches and starts Flare's
 * executors and message listener.
 */
public final class FlarePluginProvider implements PluginProvider<FlarePluginConfiguration> {
  /** The plugin's name: {@code ignite.plugin(NAME)}. */
  public static final String NAME = "flare";

  /** Flare's version, advertised to other nodes. */
  public static final String VERSION = "0.1.0";

  private final FlarePlugin plugin = new FlarePlugin();
  private PluginContext ctx;
  private FlarePluginConfiguration config;

  /** True on a client node (its putBackups is not the cluster's). */
  private volatile boolean localIsClient;

  private IgniteLogger log;
  private FlareExecutors executors;
  private final long idPrefix = java.util.concurrent.ThreadLocalRandom.current().nextLong();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return VERSION;
  }

  @Override
  public String copyright() {
    return "Flare authors, Apache License 2.0";
  }

  @Override
  @SuppressWarnings("unchecked")
  public FlarePlugin plugin() {
    return plugin;
  }

  /** The settings in force on this node. */
  public FlarePluginConfiguration configuration() {
    return config;
  }

  @Override
  public void initExtensions(PluginContext ctx, ExtensionRegistry registry)
      throws IgniteCheckedException {
    this.ctx = ctx;
    this.log = ctx.log(FlarePluginProvider.class);
    IgniteConfiguration cfg = ctx.igniteConfiguration();
    config = findConfig(cfg);
    try {
      config.validate();
    } catch (IllegalArgumentException e) {
      throw new IgniteCheckedException("Invalid Flare configuration: " + e.getMessage(), e);
    }
    // A server started by Ignite's own command line reads the same properties in its XML.
    String badProperty = io.flare.plugin.internal.FlareProperties.problem();
    if (badProperty != null) {
      throw new IgniteCheckedException("Invalid Flare configuration: " + badProperty);
    }
    boolean client = Boolean.TRUE.equals(cfg.isClientMode());
    localIsClient = client;
    if (!client && config.isOwnDataRegion()) {
      try {
        addRegion(cfg, config.effectiveStoreMaxSize(), config.getPageSize());
      } catch (IllegalArgumentException e) {
        throw new IgniteCheckedException("Invalid Flare configuration: " + e.getMessage(), e);
      }
    } else if (!client) {
      // The store shares the default region: its room is read from that region's metrics.
      DataStorageConfiguration ds = cfg.getDataStorageConfiguration();
      if (ds == null) {
        ds = new DataStorageConfiguration();
        cfg.setDataStorageConfiguration(ds);
      }
      ds.getDefaultDataRegionConfiguration().setMetricsEnabled(true);
    }
    Map<String, Object> attrs = new HashMap<>();
    if (cfg.getUserAttributes() != null) {
      attrs.putAll(cfg.getUserAttributes());
    }
    attrs.put(FlareAttributes.VERSION, VERSION);
    attrs.put(FlareAttributes.ID_PREFIX, idPrefix);
    attrs.put(FlareAttributes.ACTOR_SHARDS, config.getActorShards());
    if (!client) {
      attrs.put(FlareAttributes.PUT_BACKUPS, config.getPutBackups());
      Map<String, Double> res = new LinkedHashMap<>();
      res.put("CPU", (double) config.effectiveWorkerThreads());
      res.putAll(config.getResources());
      attrs.put(FlareAttributes.RESOURCES, FlareAttributes.encode(res));
    }
    cfg.setUserAttributes(attrs);
    int[] events = cfg.getIncludeEventTypes();
    int[] need = {
      EventType.EVT_NODE_LEFT,
      EventType.EVT_NODE_FAILED,
      EventType.EVT_CACHE_REBALANCE_PART_DATA_LOST,
      EventType.EVT_CLIENT_NODE_DISCONNECTED
    };
    int[] merged = events == null ? new int[0] : events.clone();
    for (int e : need) {
      if (Arrays.stream(merged).noneMatch(x -> x == e)) {
        merged = Arrays.copyOf(merged, merged.length + 1);
        merged[merged.length - 1] = e;
      }
    }
    cfg.setIncludeEventTypes(merged);
    ClassLoader loader = cfg.getClassLoader();
    if (loader == null) {
      loader = Thread.currentThread().getContextClassLoader();
    }
    if (loader == null) {
      loader = FlarePluginProvider.class.getClassLoader();
    }
    executors = new FlareExecutors(config, cfg.getIgniteInstanceName(), loader, client);
    registry.registerExtension(FlareExecutors.class, executors);
  }

  private static FlarePluginConfiguration findConfig(IgniteConfiguration cfg) {
    PluginConfiguration[] all = cfg.getPluginConfigurations();
    if (all != null) {
      for (PluginConfiguration p : all) {
        if (p instanceof FlarePluginConfiguration f) {
          return f;
        }
      }
    }
    return new FlarePluginConfiguration();
  }

  private static void addRegion(IgniteConfiguration cfg, long maxSize, int pageSize) {
    DataStorageConfiguration ds = cfg.getDataStorageConfiguration();
    if (ds == null) {
      ds = new DataStorageConfiguration();
      cfg.setDataStorageConfiguration(ds);
    }
    if (pageSize != 0) {
      if (ds.getPageSize() != 0 && ds.getPageSize() != pageSize) {
        throw new IllegalArgumentException(
            "FlarePluginConfiguration.pageSize is "
                + pageSize
                + " but the node's DataStorageConfiguration.pageSize is "
                + ds.getPageSize()
                + ": Ignite has one page size per node; set one of them");
      }
      ds.setPageSize(pageSize);
    }
    DataRegionConfiguration[] regions = ds.getDataRegionConfigurations();
    if (regions != null) {
      for (DataRegionConfiguration r : regions) {
        if (ObjectStore.REGION.equals(r.getName())) {
          return; // configured by the user
        }
      }
    }
    DataRegionConfiguration[] merged =
        regions == null
            ? new DataRegionConfiguration[1]
            : Arrays.copyOf(regions, regions.length + 1);
    merged[merged.length - 1] = ObjectStore.regionConfig(maxSize);
    ds.setDataRegionConfigurations(merged);
  }

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
  public void stop(boolean cancel) {
    stopNode();
  }

  @Override
  public void onIgniteStart() {
    FlareNode node = new FlareNode(ctx.grid(), config, log, idPrefix, executors);
    plugin.setNode(node);
    node.announce(); // listener registered: from now on other nodes may send work here
  }

  @Override
  public void onIgniteStop(boolean cancel) {
    stopNode();
  }

  private void stopNode() {
    try {
      plugin.node().stop();
    } catch (IllegalStateException notStarted) {
      if (executors != null) {
        executors.shutdown(); // the node failed to start: release the threads anyway
      }
    }
  }

  @Override
  public Serializable provideDiscoveryData(UUID nodeId) {
    return null;
  }

  @Override
  public void receiveDiscoveryData(UUID nodeId, Serializable data) {}

  /**
   * The refusal's words when the joining node's setting {@code name} (attribute {@code attr})
   * differs from this node's, else null. A node without the attribute (an older build) passes.
   */
  private static String mismatch(ClusterNode node, String attr, String name, int mine) {
    Object theirs = node.attribute(attr);
    if (!(theirs instanceof Integer t) || t == mine) {
      return null;
    }
    return "its FlarePluginConfiguration."
        + name
        + " is "
        + t
        + " but the cluster's is "
        + mine
        + ": every "
        + (attr.equals(FlareAttributes.PUT_BACKUPS) ? "server" : "node, clients included,")
        + " must use the same "
        + name;
  }

  @Override
  public void validateNewNode(ClusterNode node) throws PluginValidationException {
    Object v = node.attribute(FlareAttributes.VERSION);
    if (v != null && !VERSION.equals(v)) {
      throw new PluginValidationException(
          "Node "
              + node.id()
              + " runs Flare "
              + v
              + " but this cluster runs Flare "
              + VERSION
              + ": every node must run the same Flare version",
          "This node runs Flare "
              + v
              + " but the cluster runs Flare "
              + VERSION
              + ": every node must run the same Flare version",
          node.id());
    }
    if (v != null && config != null) {
      String mismatch =
          mismatch(node, FlareAttributes.ACTOR_SHARDS, "actorShards", config.getActorShards());
      if (mismatch == null && !node.isClient() && !localIsClient) {
        mismatch =
            mismatch(node, FlareAttributes.PUT_BACKUPS, "putBackups", config.getPutBackups());
      }
      if (mismatch != null) {
        if (log != null) {
          log.warning("Refusing node " + node.id() + ": " + mismatch);
        }
        throw new PluginValidationException(
            "Node " + node.id() + " was refused: " + mismatch,
            "This node was refused by the cluster: " + mismatch,
            node.id());
      }
    }
    if (v == null) {
      // Flare's caches carry Flare classes in their configuration (their room guard and node
      // filter), which Ignite hands every joining node, servers and clients alike: a node without
      // the plugin's jar fails to read them and Ignite halts its JVM. Refuse it with the reason.
      String why =
          "it has no Flare plugin, and this cluster runs Flare "
              + VERSION
              + ": every Ignite node of a Flare cluster, clients included, needs the Flare jar"
              + " (the drop-in jar, flare-ignite-plugin-"
              + VERSION
              + "*-dropin.jar, built in ignite-plugin/target) on its classpath, since Flare's"
              + " cache configurations name Flare"
              + " classes that every node must load (thin clients and JDBC connections are not"
              + " nodes and need nothing)";
      if (log != null) {
        log.warning(
            "Refusing "
                + (node.isClient() ? "client" : "server")
                + " node "
                + node.id()
                + ": "
                + why);
      }
      throw new PluginValidationException(
          "Node " + node.id() + " was refused: " + why,
          "This node was refused by the cluster: " + why,
          node.id());
    }
  }
}
