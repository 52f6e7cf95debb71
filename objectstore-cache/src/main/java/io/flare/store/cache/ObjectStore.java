package io.flare.store.cache;

import io.flare.api.exception.FlareException;
import io.flare.api.exception.ObjectLostException;
import io.flare.store.ObjectId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.cache.CacheException;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.cache.PartitionLossPolicy;
import org.apache.ignite.cache.affinity.Affinity;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;

/**
 * Values too large to travel inline, as {@code byte[]} chunks in off-heap Ignite caches.
 *
 * <p>Design: a value of {@code n} bytes becomes {@code ceil(n / chunkSize)} entries keyed by {@link
 * ChunkKey}; every chunk of a value shares one affinity value, so the whole value sits in one
 * partition. The writer picks that partition among its own primary partitions, so the primary copy
 * stays on the node that produced the value and tasks scheduled there read it without a network
 * hop. Task results live in a cache with no backups (lineage re-creates them); {@code put} values
 * in a cache with configurable backups. Both use {@link PartitionLossPolicy#READ_WRITE_SAFE}, so a
 * lost value is an error, never a silent {@code null}. Thread-safe.
 */
public final class ObjectStore {
  public static final String REGION = "flare-store";
  public static final String RESULTS_CACHE = "flare-objects";
  public static final String PUTS_CACHE = "flare-puts";

  private final Ignite ignite;
  private final IgniteCache<ChunkKey, byte[]> results;
  private final IgniteCache<ChunkKey, byte[]> puts;
  private final int chunkSize;
  private final int[] affinityForPartition;

  public ObjectStore(Ignite ignite, int putBackups, int chunkSize, boolean ownRegion) {
    this.ignite = ignite;
    this.chunkSize = chunkSize;
    this.results = ignite.getOrCreateCache(cacheConfig(RESULTS_CACHE, 0, ownRegion));
    this.puts = ignite.getOrCreateCache(cacheConfig(PUTS_CACHE, putBackups, ownRegion));
    this.affinityForPartition = affinityTable(ignite.affinity(RESULTS_CACHE));
  }

  /** The configuration of Flare's data region. */
  public static DataRegionConfiguration regionConfig(long maxSize) {
    return new DataRegionConfiguration()
        .setName(REGION)
        .setInitialSize(Math.min(maxSize, 64L << 20))
        .setMaxSize(maxSize)
        .setPersistenceEnabled(false)
        .setMetricsEnabled(true);
  }

  static CacheConfiguration<ChunkKey, byte[]> cacheConfig(
      String name, int backups, boolean ownRegion) {
    CacheConfiguration<ChunkKey, byte[]> cfg = new CacheConfiguration<>(name);
    cfg.setCacheMode(CacheMode.PARTITIONED)
        .setAtomicityMode(CacheAtomicityMode.ATOMIC)
        .setBackups(backups)
        .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
        .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE)
        .setCopyOnRead(false)
        .setStatisticsEnabled(false);
    if (ownRegion) {
      cfg.setDataRegionName(REGION);
    }
    return cfg;
  }

  /** For each partition, an affinity value that maps to it. */
  private static int[] affinityTable(Affinity<Object> aff) {
    int parts = aff.partitions();
    int[] table = new int[parts];
    java.util.Arrays.fill(table, -1);
    int found = 0;
    for (int v = 0; found < parts && v < parts * 64; v++) {
      int p = aff.partition(v);
      if (table[p] < 0) {
        table[p] = v;
        found++;
      }
    }
    return table;
  }

  /** An affinity value whose partition has its primary copy on this node (any, if it has none). */
  private int localAffinity() {
    ClusterNode local = ignite.cluster().localNode();
    int[] primaries =
        local.isClient() ? new int[0] : ignite.affinity(RESULTS_CACHE).primaryPartitions(local);
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    int part =
        primaries.length > 0
            ? primaries[rnd.nextInt(primaries.length)]
            : rnd.nextInt(affinityForPartition.length);
    int v = affinityForPartition[part];
    return v >= 0 ? v : part;
  }

  /** The node holding the primary copy of a stored value, or {@code null} if none. */
  public ClusterNode primaryNode(StoredLocation loc) {
    return ignite.affinity(loc.put() ? PUTS_CACHE : RESULTS_CACHE).mapKeyToNode(loc.key(0));
  }

  /**
   * Stores {@code data} as chunks.
   *
   * @throws FlareException when the store has no room (the message says how big the value was and
   *     which setting raises the limit)
   */
  public StoredLocation write(ObjectId id, byte[] data, boolean put) {
    int chunks = Math.max(1, (int) ((data.length + (long) chunkSize - 1) / chunkSize));
    StoredLocation loc = new StoredLocation(id, data.length, chunks, localAffinity(), put);
    IgniteCache<ChunkKey, byte[]> cache = put ? puts : results;
    try {
      if (chunks == 1) {
        cache.put(loc.key(0), data);
      } else {
        Map<ChunkKey, byte[]> batch = new LinkedHashMap<>();
        for (int i = 0; i < chunks; i++) {
          int from = i * chunkSize;
          int len = Math.min(chunkSize, data.length - from);
          byte[] c = new byte[len];
          System.arraycopy(data, from, c, 0, len);
          batch.put(loc.key(i), c);
          if (batch.size() >= 4) {
            cache.putAll(batch);
            batch.clear();
          }
        }
        if (!batch.isEmpty()) {
          cache.putAll(batch);
        }
      }
    } catch (RuntimeException e) {
      remove(loc);
      if (isOutOfMemory(e)) {
        throw new FlareException(
            "The object store has no room for a value of "
                + data.length
                + " bytes (object "
                + id
                + "); raise FlarePluginConfiguration.storeMaxSize (data region '"
                + REGION
                + "')",
            e);
      }
      throw new FlareException("Could not store object " + id + ": " + e.getMessage(), e);
    }
    return loc;
  }

  private static boolean isOutOfMemory(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // Ignite's out-of-memory exception is internal API: match it by name
      if (t.getClass().getSimpleName().equals("IgniteOutOfMemoryException")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads a stored value whole.
   *
   * @throws ObjectLostException when a chunk is missing or its partition was lost
   */
  public byte[] read(StoredLocation loc) {
    IgniteCache<ChunkKey, byte[]> cache = loc.put() ? puts : results;
    try {
      if (loc.chunks() == 1) {
        byte[] b = cache.get(loc.key(0));
        if (b == null) {
          throw lost(loc, null);
        }
        return b;
      }
      byte[] out = new byte[Math.toIntExact(loc.size())];
      int pos = 0;
      for (int i = 0; i < loc.chunks(); i += 4) {
        Set<ChunkKey> keys = new HashSet<>();
        for (int j = i; j < Math.min(loc.chunks(), i + 4); j++) {
          keys.add(loc.key(j));
        }
        Map<ChunkKey, byte[]> got = cache.getAll(keys);
        for (int j = i; j < Math.min(loc.chunks(), i + 4); j++) {
          byte[] c = got.get(loc.key(j));
          if (c == null) {
            throw lost(loc, null);
          }
          System.arraycopy(c, 0, out, pos, c.length);
          pos += c.length;
        }
      }
      return out;
    } catch (CacheException | org.apache.ignite.IgniteException e) {
      throw lost(loc, e);
    }
  }

  private static ObjectLostException lost(StoredLocation loc, Exception cause) {
    return new ObjectLostException(
        "Object "
            + loc.id()
            + " ("
            + loc.size()
            + " bytes) is no longer in the object store"
            + (cause == null ? "" : ": " + cause.getMessage()),
        cause);
  }

  /** Removes a stored value; asynchronous, best effort. */
  public void remove(StoredLocation loc) {
    IgniteCache<ChunkKey, byte[]> cache = loc.put() ? puts : results;
    List<ChunkKey> keys = new ArrayList<>(loc.chunks());
    for (int i = 0; i < loc.chunks(); i++) {
      keys.add(loc.key(i));
    }
    try {
      cache.removeAllAsync(new HashSet<>(keys));
    } catch (RuntimeException ignored) {
      // the node is stopping or the partition is lost: nothing left to free
    }
  }

  /** Entries (chunks) held in the results and puts caches, cluster-wide. */
  public long size() {
    return results.sizeLong() + puts.sizeLong();
  }
}
