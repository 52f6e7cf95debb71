package io.flare.actor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.Cache;
import javax.cache.processor.MutableEntry;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheEntryProcessor;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.lang.IgniteBiPredicate;
import org.apache.ignite.services.ServiceConfiguration;
import org.apache.ignite.services.ServiceDescriptor;

/**
 * The actor registry and the shard services, cluster-wide.
 *
 * <p>Mapping onto Ignite services, chosen by measurement (see the module README): one service per
 * actor costs ~40 ms per deployment on three nodes and every node join re-evaluates every service,
 * so Flare runs a fixed number of <em>shard</em> services, each a cluster singleton, and places
 * each actor in a shard by its id. Creating an actor is then one registry write and one message,
 * while Ignite still owns placement and failover: when a shard's node dies, Ignite re-deploys the
 * shard elsewhere and the new host re-creates the shard's actors from the registry.
 *
 * <p>The registry ({@value #ACTORS}) and the name index ({@value #NAMES}) have one backup, so they
 * survive the loss of any one node.
 */
public final class ActorDirectory {
  public static final String ACTORS = "flare-actors";
  public static final String NAMES = "flare-actor-names";
  public static final String SHARD_PREFIX = "flare-actor-shard-";

  private final Ignite ignite;
  private final IgniteCache<String, ActorRecord> actors;
  private final IgniteCache<String, String> names;
  private final int shards;
  private volatile boolean deployed;
  private volatile long routesVersion = -1;
  private final Map<Integer, UUID> routes = new ConcurrentHashMap<>();

  public ActorDirectory(Ignite ignite, int shards) {
    this.ignite = ignite;
    this.shards = shards;
    this.actors = ignite.getOrCreateCache(config(ACTORS));
    this.names = ignite.getOrCreateCache(config(NAMES));
  }

  /**
   * Copies of each registry record besides the primary: two, so actors (and their names) outlive
   * any two servers leaving at once (with one, killing two of three servers together lost a third
   * of the records, and those actors were reported unknown). Records are small.
   */
  static final int REGISTRY_BACKUPS = 2;

  private static <K, V> CacheConfiguration<K, V> config(String name) {
    return new CacheConfiguration<K, V>(name)
        .setCacheMode(CacheMode.PARTITIONED)
        .setBackups(REGISTRY_BACKUPS)
        .setAtomicityMode(CacheAtomicityMode.ATOMIC)
        .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
        .setNodeFilter(new io.flare.store.cache.FlareNodeFilter());
  }

  public int shards() {
    return shards;
  }

  /** The shard of an actor id. */
  public int shardOf(String actorId) {
    return Math.floorMod(actorId.hashCode(), shards);
  }

  private static ServiceConfiguration shardConfig(int shard) {
    ServiceConfiguration c = new ServiceConfiguration();
    c.setName(SHARD_PREFIX + shard);
    c.setService(new ActorHostService(shard));
    c.setTotalCount(1);
    // Plain cluster singletons: Ignite moves them only when their node leaves. (Affinity-keyed
    // services would spread better but move whenever partitions move, also when a node joins,
    // and a move re-creates the actor: its state would be lost on growth.)
    c.setNodeFilter(new io.flare.store.cache.FlareNodeFilter());
    return c;
  }

  /** Deploys the shard services if they are not deployed yet; blocks (once per node). */
  public void ensureDeployed() {
    if (deployed) {
      return;
    }
    synchronized (this) {
      if (deployed) {
        return;
      }
      Set<String> have = new HashSet<>();
      for (ServiceDescriptor d : ignite.services().serviceDescriptors()) {
        have.add(d.name());
      }
      List<ServiceConfiguration> missing = new ArrayList<>();
      for (int s = 0; s < shards; s++) {
        if (!have.contains(SHARD_PREFIX + s)) {
          missing.add(shardConfig(s));
        }
      }
      if (!missing.isEmpty()) {
        ignite.services().deployAll(missing);
      }
      deployed = true;
    }
  }

  /** When each shard that lost its host was first seen without one (nanoTime). */
  private final Map<Integer, Long> hostlessSince = new ConcurrentHashMap<>();

  /** The topology version the times in {@link #hostlessSince} count from. */
  private long watchedTopology = -1;

  /**
   * Shards this node has seen with a live host: only those can be lost (a shard still being
   * deployed for the first time, however slowly, is left alone).
   */
  private final Set<Integer> seenHosted = ConcurrentHashMap.newKeySet();

  /**
   * Redeploys the shards that have had no live host for {@code graceNanos}. When several nodes
   * leave at once, Ignite may lose cluster singletons of the departed nodes: seen here killing two
   * of three servers together, the shards of one of them vanished from the service descriptors in
   * about half of the runs (apache/ignite#12315 reports the same), and calls to their actors waited
   * for ever. A shard whose descriptor is gone, or that has no live instance, is cancelled and
   * deployed again, so Ignite places it anew. Every server watches (to know which shards were up);
   * only the one called with {@code act} redeploys. The grace counts from the last topology change
   * (when Ignite itself re-places singletons). Blocks while Ignite deploys.
   *
   * @return the shards redeployed
   */
  public List<Integer> redeployHostless(long graceNanos, boolean act) {
    long now = System.nanoTime();
    long topology = ignite.cluster().topologyVersion();
    if (topology != watchedTopology) { // Ignite re-places singletons after a change: give it time
      watchedTopology = topology;
      hostlessSince.clear();
    }
    Set<Integer> hosted = new HashSet<>();
    for (ServiceDescriptor d : ignite.services().serviceDescriptors()) {
      if (!d.name().startsWith(SHARD_PREFIX)) {
        continue;
      }
      for (Map.Entry<UUID, Integer> e : d.topologySnapshot().entrySet()) {
        if (e.getValue() != null && e.getValue() > 0 && ignite.cluster().node(e.getKey()) != null) {
          hosted.add(Integer.parseInt(d.name().substring(SHARD_PREFIX.length())));
        }
      }
    }
    seenHosted.addAll(hosted);
    List<Integer> redo = new ArrayList<>();
    for (int s = 0; s < shards; s++) {
      if (hosted.contains(s) || !seenHosted.contains(s)) {
        hostlessSince.remove(s);
      } else if (now - hostlessSince.computeIfAbsent(s, k -> now) >= graceNanos) {
        redo.add(s);
      }
    }
    if (redo.isEmpty() || !act) {
      return List.of();
    }
    List<ServiceConfiguration> configs = new ArrayList<>();
    for (int s : redo) {
      ignite.services().cancel(SHARD_PREFIX + s); // a descriptor left without an instance
      hostlessSince.remove(s);
      configs.add(shardConfig(s));
    }
    ignite.services().deployAll(configs);
    return redo;
  }

  /**
   * Removes, in this node's partitions, the records of actors dead for good before {@code
   * cutoffMillis}: kept a while so that late calls learn how their actor died, then dropped so the
   * registry holds live actors only (it grew by every actor ever created). Returns how many.
   */
  public int removeDeadBefore(long cutoffMillis) {
    Set<String> doomed = new HashSet<>();
    try (var cursor = actors.query(new ScanQuery<>(new DeadBefore(cutoffMillis)).setLocal(true))) {
      for (Cache.Entry<String, ActorRecord> e : cursor) {
        doomed.add(e.getKey());
      }
    }
    if (!doomed.isEmpty()) {
      actors.removeAll(doomed);
    }
    return doomed.size();
  }

  /** Selects records of actors dead for good before a time. */
  static final class DeadBefore implements IgniteBiPredicate<String, ActorRecord> {
    private static final long serialVersionUID = 1L;
    private final long cutoffMillis;

    DeadBefore(long cutoffMillis) {
      this.cutoffMillis = cutoffMillis;
    }

    @Override
    public boolean apply(String id, ActorRecord r) {
      return r.isDead() && r.diedAtMillis < cutoffMillis;
    }
  }

  /** Records in the registry, cluster-wide (live actors, and the recently dead). */
  public long size() {
    return actors.sizeLong();
  }

  /** True if this node's watch has seen {@code shard} with a live host (see redeployHostless). */
  public boolean seenHosted(int shard) {
    return seenHosted.contains(shard);
  }

  /** The node hosting {@code shard} now, or {@code null} while it is being (re)deployed. */
  public UUID hostOf(int shard) {
    long v = ignite.cluster().topologyVersion();
    if (v != routesVersion) {
      routes.clear();
      routesVersion = v;
    }
    UUID cached = routes.get(shard);
    if (cached != null) {
      return cached;
    }
    refreshRoutes();
    return routes.get(shard);
  }

  /** Forgets cached routes (a host said it no longer holds a shard). */
  public void invalidate(int shard) {
    routes.remove(shard);
  }

  private void refreshRoutes() {
    Collection<ServiceDescriptor> all = ignite.services().serviceDescriptors();
    for (ServiceDescriptor d : all) {
      if (!d.name().startsWith(SHARD_PREFIX)) {
        continue;
      }
      int s = Integer.parseInt(d.name().substring(SHARD_PREFIX.length()));
      for (Map.Entry<UUID, Integer> e : d.topologySnapshot().entrySet()) {
        if (e.getValue() != null && e.getValue() > 0 && ignite.cluster().node(e.getKey()) != null) {
          routes.put(s, e.getKey());
        }
      }
    }
  }

  /**
   * Reserves {@code name} for {@code actorId}.
   *
   * @return the id of the live actor already holding the name, or {@code null} when reserved
   */
  public String reserveName(String name, String actorId) {
    while (true) {
      String prev = names.getAndPutIfAbsent(name, actorId);
      if (prev == null) {
        return null;
      }
      ActorRecord r = actors.get(prev);
      if (r != null && !r.isDead()) {
        return prev;
      }
      if (names.replace(name, prev, actorId)) {
        return null;
      }
    }
  }

  public void releaseName(String name, String actorId) {
    if (name != null) {
      names.remove(name, actorId);
    }
  }

  public String idOfName(String name) {
    return names.get(name);
  }

  public void put(ActorRecord r) {
    actors.put(r.id, r);
  }

  public ActorRecord get(String id) {
    return actors.get(id);
  }

  public void remove(String id) {
    actors.remove(id);
  }

  /**
   * The live actors of a shard. Retries while the topology changes under the scan (a node left);
   * empty if it still fails (the shard's next host reads the registry again).
   */
  public List<ActorRecord> liveInShard(int shard) {
    for (int attempt = 0; ; attempt++) {
      List<ActorRecord> out = new ArrayList<>();
      try (var cursor = actors.query(new ScanQuery<>(new ShardFilter(shard)))) {
        for (Cache.Entry<String, ActorRecord> e : cursor) {
          out.add(e.getValue());
        }
        return out;
      } catch (RuntimeException e) {
        if (attempt >= 5) {
          return List.of();
        }
        try {
          Thread.sleep(100L << attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return List.of();
        }
      }
    }
  }

  /**
   * Atomically moves an actor to its next incarnation: a first construction, or a restart while
   * restarts remain; otherwise marks it dead.
   *
   * @return the updated record, or {@code null} if it is unknown
   */
  public ActorRecord nextIncarnation(String id, String deathReasonIfNoRestart) {
    return actors.invoke(id, new NextIncarnation(deathReasonIfNoRestart));
  }

  /** Marks an actor dead; returns the record, or {@code null} if unknown. */
  public ActorRecord markDead(String id, String reason) {
    return actors.invoke(id, new MarkDead(reason));
  }

  /** Selects the records of one shard. */
  static final class ShardFilter implements IgniteBiPredicate<String, ActorRecord> {
    private static final long serialVersionUID = 1L;
    private final int shard;

    ShardFilter(int shard) {
      this.shard = shard;
    }

    @Override
    public boolean apply(String k, ActorRecord v) {
      return v.shard == shard && !v.isDead();
    }
  }

  static final class NextIncarnation
      implements CacheEntryProcessor<String, ActorRecord, ActorRecord> {
    private static final long serialVersionUID = 1L;
    private final String reason;

    NextIncarnation(String reason) {
      this.reason = reason;
    }

    @Override
    public ActorRecord process(MutableEntry<String, ActorRecord> e, Object... args) {
      ActorRecord r = e.getValue();
      if (r == null || r.isDead()) {
        return r;
      }
      r = r.copy();
      if (r.incarnation == 0) {
        r.incarnation = 1;
      } else if (r.mayRestart()) {
        r.incarnation++;
        r.restarts++;
      } else {
        ActorRecord died = r.die(reason);
        e.setValue(r);
        return died;
      }
      e.setValue(r);
      return r;
    }
  }

  static final class MarkDead implements CacheEntryProcessor<String, ActorRecord, ActorRecord> {
    private static final long serialVersionUID = 1L;
    private final String reason;

    MarkDead(String reason) {
      this.reason = reason;
    }

    @Override
    public ActorRecord process(MutableEntry<String, ActorRecord> e, Object... args) {
      ActorRecord r = e.getValue();
      if (r == null) {
        return null;
      }
      if (!r.isDead()) {
        r = r.copy();
        ActorRecord died = r.die(reason);
        e.setValue(r);
        return died;
      }
      return r;
    }
  }
}
