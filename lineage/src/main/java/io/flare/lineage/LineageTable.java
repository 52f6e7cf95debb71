package io.flare.lineage;

import io.flare.store.ObjectId;
import java.util.UUID;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.configuration.CacheConfiguration;

/**
 * The cluster-wide lineage table ({@value #CACHE}): object id to the encoded spec of the task that
 * produces it and the owner that re-runs it. One backup, so it survives the loss of any one node.
 *
 * <p>What it holds, and why: the owner of a task keeps the task's spec in memory for as long as the
 * result lives, and that copy is what re-execution uses (it also retains the lineage of the task's
 * arguments, recursively). The table mirrors the lineage of results that live in the object store —
 * the ones that can be lost while their owner lives — so that they are visible cluster-wide and
 * survive in the cluster; results small enough to travel inline live in their owner's memory and
 * die only with it, when nobody can ask for them any more. Writing every task's spec to a
 * replicated cache at submission would cost more than running a small task (a backed-up cache write
 * is tens of microseconds here; a small task is a few), so entries are written asynchronously when
 * a stored result is recorded and removed when the object is freed: the table holds the lineage of
 * live stored objects only, and its memory is bounded by them.
 */
public final class LineageTable {
  public static final String CACHE = "flare-lineage";

  private final IgniteCache<String, LineageRecord> cache;

  /** One row: the owner and the encoded task spec. */
  public static final class LineageRecord {
    public UUID owner;
    public String function;
    public byte[] spec;

    public LineageRecord() {}

    public LineageRecord(UUID owner, String function, byte[] spec) {
      this.owner = owner;
      this.function = function;
      this.spec = spec;
    }
  }

  public LineageTable(Ignite ignite) {
    CacheConfiguration<String, LineageRecord> cfg = new CacheConfiguration<>(CACHE);
    cfg.setCacheMode(CacheMode.PARTITIONED)
        .setBackups(1)
        .setAtomicityMode(CacheAtomicityMode.ATOMIC)
        .setWriteSynchronizationMode(CacheWriteSynchronizationMode.PRIMARY_SYNC)
        .setNodeFilter(new io.flare.store.cache.FlareNodeFilter());
    this.cache = ignite.getOrCreateCache(cfg);
  }

  /** Records the lineage of a stored result; asynchronous. */
  public void record(ObjectId id, UUID owner, String function, byte[] spec) {
    try {
      cache.putAsync(id.toString(), new LineageRecord(owner, function, spec));
    } catch (RuntimeException ignored) {
      // stopping: the in-memory lineage of the owner still re-runs the task
    }
  }

  /** Forgets the lineage of a freed object; asynchronous. */
  public void release(ObjectId id) {
    try {
      cache.removeAsync(id.toString());
    } catch (RuntimeException ignored) {
      // stopping
    }
  }

  /**
   * Removes the rows owned by {@code owner} in this node's partitions: an owner that left (killed,
   * or stopped) can no longer free them one by one, and nobody can ask for its objects any more
   * (fate-sharing). Blocking; returns how many rows.
   */
  public int removeOwnedBy(UUID owner) {
    java.util.Set<String> doomed = new java.util.HashSet<>();
    try (var cursor =
        cache.query(
            new org.apache.ignite.cache.query.ScanQuery<String, LineageRecord>(new OwnedBy(owner))
                .setLocal(true))) {
      for (javax.cache.Cache.Entry<String, LineageRecord> e : cursor) {
        doomed.add(e.getKey());
      }
    }
    if (!doomed.isEmpty()) {
      cache.removeAll(doomed);
    }
    return doomed.size();
  }

  /** Selects the rows of one owner. */
  static final class OwnedBy
      implements org.apache.ignite.lang.IgniteBiPredicate<String, LineageRecord> {
    private static final long serialVersionUID = 1L;
    private final UUID owner;

    OwnedBy(UUID owner) {
      this.owner = owner;
    }

    @Override
    public boolean apply(String k, LineageRecord v) {
      return owner.equals(v.owner);
    }
  }

  /** The record of {@code id}, or {@code null}. */
  public LineageRecord get(ObjectId id) {
    return cache.get(id.toString());
  }

  /** Rows in the table, cluster-wide. */
  public long size() {
    return cache.sizeLong();
  }
}
