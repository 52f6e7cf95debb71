package io.flare.store.cache;

import io.flare.api.exception.FlareException;
import io.flare.api.exception.ObjectLostException;
import io.flare.store.ObjectId;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.CacheException;
import org.apache.ignite.DataRegionMetrics;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteException;
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
 * <p>Design: a value is written through a {@link Sink}, an {@code OutputStream} that keeps the
 * first bytes in memory and, once the value outgrows the inline threshold, streams it to the cache
 * chunk by chunk; a value is read back chunk by chunk, a few chunks in flight. So a 1 GiB array
 * needs one chunk of buffer on the way in and out, never several full heap copies. Every chunk of a
 * value shares one affinity value, so the whole value sits in one partition; the writer picks that
 * partition among its own primary partitions, so the primary copy stays on the node that produced
 * it and tasks scheduled there read it without a network hop.
 *
 * <p>Task results live in a cache with no backups (lineage re-creates them); {@code put} values in
 * one with configurable backups. Both use {@link PartitionLossPolicy#READ_WRITE_SAFE}, so a lost
 * value is an error, never a silent {@code null}.
 *
 * <p>Room: before each chunk the writer checks its node's data region. When the chunk would not fit
 * with a safety margin, it first asks the JVM to collect garbage (unreachable refs free their
 * objects through cleaners) and waits briefly; if there is still no room the write fails with a
 * {@link FlareException} that says how big the value was, how much room there is and which setting
 * raises it. Ignite never sees an out-of-memory condition, which would stop the node.
 */
public final class ObjectStore {
  public static final String REGION = "flare-store";
  public static final String RESULTS_CACHE = "flare-objects";
  public static final String PUTS_CACHE = "flare-puts";

  /** Chunk reads and writes kept in flight at once per value (pipelining over the network). */
  static final int PIPELINE = 4;

  /** Room kept free in the region beyond what a chunk needs. */
  static final long SAFETY_MARGIN = 16L << 20;

  private final Ignite ignite;
  private final IgniteCache<ChunkKey, byte[]> results;
  private final IgniteCache<ChunkKey, byte[]> puts;
  private final int chunkSize;
  private final long maxSize;
  private final boolean ownRegion;
  private final int[] affinityForPartition;
  private final AtomicLong gcRequests = new AtomicLong();
  private volatile Runnable pressureHook = () -> {};

  /** Chunks fetched from other nodes: an eighth of the heap, at most 256 MiB. */
  private final ChunkCache remoteChunks =
      new ChunkCache(Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8));

  public ObjectStore(
      Ignite ignite, int putBackups, int chunkSize, boolean ownRegion, long maxSize) {
    this.ignite = ignite;
    this.chunkSize = chunkSize;
    this.ownRegion = ownRegion;
    this.maxSize = maxSize;
    this.results = ignite.getOrCreateCache(cacheConfig(RESULTS_CACHE, 0, ownRegion));
    this.puts = ignite.getOrCreateCache(cacheConfig(PUTS_CACHE, putBackups, ownRegion));
    this.affinityForPartition = affinityTable(ignite.affinity(RESULTS_CACHE));
  }

  /** Called (on the writing thread) before the store asks the JVM for a GC to make room. */
  public void setPressureHook(Runnable hook) {
    this.pressureHook = hook;
  }

  /** How many times the store asked for a GC to make room. */
  public long gcRequests() {
    return gcRequests.get();
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
        .setStatisticsEnabled(false)
        .setNodeFilter(new FlareNodeFilter());
    if (ownRegion) {
      cfg.setDataRegionName(REGION);
    }
    return cfg;
  }

  /** For each partition, an affinity value that maps to it. */
  private static int[] affinityTable(Affinity<Object> aff) {
    int parts = aff.partitions();
    int[] table = new int[parts];
    Arrays.fill(table, -1);
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
    java.util.Collection<Integer> lost = lostPartitions();
    int part = -1;
    for (int tries = 0; tries < 16 && primaries.length > 0; tries++) {
      int p = primaries[rnd.nextInt(primaries.length)];
      if (!lost.contains(p)) {
        part = p;
        break;
      }
    }
    for (int tries = 0; part < 0 && tries < 64; tries++) {
      int p = rnd.nextInt(affinityForPartition.length);
      if (!lost.contains(p)) {
        part = p;
      }
    }
    if (part < 0) {
      part = rnd.nextInt(affinityForPartition.length);
    }
    int v = affinityForPartition[part];
    return v >= 0 ? v : part;
  }

  /** The node holding the primary copy of a stored value, or {@code null} if none. */
  public ClusterNode primaryNode(StoredLocation loc) {
    return ignite.affinity(loc.put() ? PUTS_CACHE : RESULTS_CACHE).mapKeyToNode(loc.key(0));
  }

  private IgniteCache<ChunkKey, byte[]> cache(boolean put) {
    return put ? puts : results;
  }

  /** Bytes free in this node's region for new values, or {@link Long#MAX_VALUE} if unknown. */
  public long freeBytes() {
    if (!ownRegion || ignite.cluster().localNode().isClient()) {
      return Long.MAX_VALUE;
    }
    DataRegionMetrics m = ignite.dataRegionMetrics(REGION);
    if (m == null) {
      return Long.MAX_VALUE;
    }
    long used = m.getTotalUsedPages() * (long) m.getPageSize();
    return Math.max(0, maxSize - used);
  }

  /** The region's configured maximum size. */
  public long maxSize() {
    return maxSize;
  }

  private void ensureRoom(ObjectId id, long chunkBytes, long writtenSoFar, long knownSize) {
    long need = chunkBytes + chunkBytes / 8 + SAFETY_MARGIN;
    if (freeBytes() >= need) {
      return;
    }
    // Unreachable ObjectRefs free their values through cleaners once collected: make room.
    for (int attempt = 0; attempt < 3 && freeBytes() < need; attempt++) {
      gcRequests.incrementAndGet();
      pressureHook.run();
      System.gc();
      try {
        Thread.sleep(20L << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    long free = freeBytes();
    if (free < need) {
      long size = Math.max(knownSize, writtenSoFar + chunkBytes);
      throw new FlareException(
          "The object store has no room for object "
              + id
              + ": the value is "
              + (knownSize > 0 ? "" : "at least ")
              + size
              + " bytes and the store on node "
              + ignite.cluster().localNode().id()
              + " has "
              + free
              + " of "
              + maxSize
              + " bytes free; raise FlarePluginConfiguration.storeMaxSize (data region '"
              + REGION
              + "') or release ObjectRefs you no longer need");
    }
  }

  /**
   * A sink for one serialized value: bytes up to {@code inlineLimit} stay in memory; beyond it the
   * value streams to the cache in chunks. Call {@link Sink#finish()} to learn which it became.
   */
  public Sink sink(ObjectId id, boolean put, int inlineLimit, long knownSize) {
    return new Sink(id, put, inlineLimit, knownSize);
  }

  /** Stores {@code data} whole (a convenience over {@link #sink}). */
  public StoredLocation write(ObjectId id, byte[] data, boolean put) {
    Sink s = sink(id, put, -1, data.length);
    try {
      s.write(data, 0, data.length);
      return (StoredLocation) s.finish();
    } catch (RuntimeException e) {
      s.abort();
      throw e;
    }
  }

  /** The writing side of a value. Not thread-safe. */
  public final class Sink extends OutputStream {
    private final ObjectId id;
    private final boolean put;
    private final int inlineLimit;
    private final long knownSize;
    private int affinity;
    private byte[] buf;
    private int pos;
    private int chunks;
    private long written;
    private boolean spilled;
    private final java.util.ArrayDeque<org.apache.ignite.lang.IgniteFuture<Void>> inFlight =
        new java.util.ArrayDeque<>();

    Sink(ObjectId id, boolean put, int inlineLimit, long knownSize) {
      this.id = id;
      this.put = put;
      this.inlineLimit = inlineLimit;
      this.knownSize = knownSize;
      this.affinity = localAffinity();
      int first = inlineLimit >= 0 ? Math.min(inlineLimit + 1, 4096) : chunkSize;
      if (knownSize > inlineLimit && inlineLimit >= 0) {
        first = (int) Math.min(chunkSize, knownSize);
        spilled = true;
      }
      this.buf = new byte[Math.max(64, first)];
      if (inlineLimit < 0) {
        spilled = true;
      }
    }

    @Override
    public void write(int b) {
      if (pos == buf.length) {
        makeRoom(1);
      }
      buf[pos++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      while (len > 0) {
        if (pos == buf.length) {
          makeRoom(len);
        }
        int n = Math.min(len, buf.length - pos);
        System.arraycopy(b, off, buf, pos, n);
        pos += n;
        off += n;
        len -= n;
      }
    }

    private void makeRoom(int wanted) {
      if (!spilled) {
        long need = (long) pos + wanted;
        if (need <= inlineLimit) {
          buf =
              Arrays.copyOf(buf, (int) Math.min(inlineLimit + 1L, Math.max(need, buf.length * 2L)));
          return;
        }
        spilled = true;
        if (buf.length < chunkSize) {
          buf = Arrays.copyOf(buf, chunkSize);
        }
        if (pos < buf.length) {
          return;
        }
      }
      flushChunk();
    }

    private void flushChunk() {
      if (pos == 0) {
        return;
      }
      ensureRoom(id, pos, written, knownSize);
      byte[] chunk = pos == buf.length ? buf : Arrays.copyOf(buf, pos);
      try {
        if (chunks == 0) {
          putChunk(chunk); // the first chunk may still move to another partition
        } else {
          while (inFlight.size() >= PIPELINE) {
            inFlight.poll().get();
          }
          inFlight.add(
              cache(put).putAsync(new ChunkKey(id.hi(), id.lo(), chunks, affinity), chunk));
        }
      } catch (RuntimeException e) {
        drain();
        abort();
        throw new FlareException("Could not store object " + id + ": " + e.getMessage(), e);
      }
      chunks++;
      written += pos;
      pos = 0;
      buf = new byte[chunkSize];
    }

    /**
     * Writes one chunk. The first chunk may move to another partition when the chosen one was just
     * lost with a node (the loss reaches writers a moment after it happens).
     */
    private void putChunk(byte[] chunk) {
      for (int attempt = 0; ; attempt++) {
        try {
          cache(put).put(new ChunkKey(id.hi(), id.lo(), chunks, affinity), chunk);
          return;
        } catch (CacheException | IgniteException e) {
          if (chunks > 0 || attempt >= 5 || !isPartitionLoss(e)) {
            throw e;
          }
          try {
            Thread.sleep(50L << attempt);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw e;
          }
          affinity = localAffinity();
        }
      }
    }

    private void drain() {
      RuntimeException first = null;
      while (!inFlight.isEmpty()) {
        try {
          inFlight.poll().get();
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
          }
        }
      }
      if (first != null) {
        throw first;
      }
    }

    /** Ends the value: its bytes when it stayed small, else its {@link StoredLocation}. */
    public Object finish() {
      if (!spilled) {
        return Arrays.copyOf(buf, pos);
      }
      flushChunk();
      try {
        drain();
      } catch (RuntimeException e) {
        abort();
        throw new FlareException("Could not store object " + id + ": " + e.getMessage(), e);
      }
      if (chunks == 0) {
        flushEmpty();
      }
      buf = null;
      return new StoredLocation(id, written, chunks, affinity, put);
    }

    private void flushEmpty() {
      cache(put).put(new ChunkKey(id.hi(), id.lo(), 0, affinity), new byte[0]);
      chunks = 1;
    }

    /** Removes what was written. */
    public void abort() {
      if (chunks > 0) {
        remove(new StoredLocation(id, written, chunks, affinity, put));
        chunks = 0;
      }
    }
  }

  /** A stored value's chunks in order, a few fetched ahead; for chunk-wise decoding. */
  public java.util.Iterator<byte[]> chunks(StoredLocation loc) {
    return new ChunkIterator(loc);
  }

  byte[] chunk(StoredLocation loc, int i) {
    ChunkKey key = loc.key(i);
    byte[] c = remoteChunks.get(key);
    if (c != null) {
      return c;
    }
    boolean local;
    try {
      local =
          ignite
              .affinity(loc.put() ? PUTS_CACHE : RESULTS_CACHE)
              .isPrimaryOrBackup(ignite.cluster().localNode(), key);
      c = cache(loc.put()).get(key);
    } catch (CacheException | IgniteException e) {
      throw lost(loc, e);
    }
    if (c == null) {
      throw lost(loc, null);
    }
    if (!local) {
      remoteChunks.put(key, c);
    }
    return c;
  }

  /** Reads of remote chunks answered from this node's cache, and those that were fetched. */
  public long[] remoteChunkHitsAndMisses() {
    return new long[] {remoteChunks.hits(), remoteChunks.misses()};
  }

  /**
   * The chunks of one value, in order, keeping the next few in flight (cached ones at once, others
   * as async gets); a chunk fetched from another node goes to the node's chunk cache.
   */
  private final class ChunkIterator implements java.util.Iterator<byte[]> {
    private final StoredLocation loc;
    private int next;
    private int requested;
    private final java.util.ArrayDeque<Object> ahead = new java.util.ArrayDeque<>();

    ChunkIterator(StoredLocation loc) {
      this.loc = loc;
    }

    /** Keeps the next few chunks in flight: cached ones at once, others as async gets. */
    private void prefetch() {
      while (requested < loc.chunks() && requested - next < PIPELINE) {
        ChunkKey key = loc.key(requested++);
        byte[] cached = remoteChunks.get(key);
        if (cached != null) {
          ahead.add(cached);
        } else if (loc.chunks() == 1) {
          ahead.add(key); // a single chunk: read it directly
        } else {
          try {
            ahead.add(cache(loc.put()).getAsync(key));
          } catch (CacheException | IgniteException e) {
            throw lost(loc, e);
          }
        }
      }
    }

    @SuppressWarnings("unchecked")
    private byte[] take() {
      Object o = ahead.poll();
      int index = next++;
      if (o instanceof byte[] b) {
        return b;
      }
      if (o instanceof ChunkKey) {
        return chunk(loc, index);
      }
      byte[] c;
      try {
        c = ((org.apache.ignite.lang.IgniteFuture<byte[]>) o).get();
      } catch (CacheException | IgniteException e) {
        throw lost(loc, e);
      }
      if (c == null) {
        throw lost(loc, null);
      }
      ChunkKey key = loc.key(index);
      if (!ignite
          .affinity(loc.put() ? PUTS_CACHE : RESULTS_CACHE)
          .isPrimaryOrBackup(ignite.cluster().localNode(), key)) {
        remoteChunks.put(key, c);
      }
      return c;
    }

    @Override
    public boolean hasNext() {
      return next < loc.chunks();
    }

    @Override
    public byte[] next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      prefetch();
      return take();
    }
  }

  private static boolean isPartitionLoss(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("partition data has been lost") || m.contains("lost"))) {
        return true;
      }
    }
    return false;
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

  /** True if the value's first chunk is still in the store (false if lost or freed). */
  public boolean exists(StoredLocation loc) {
    try {
      return cache(loc.put()).containsKey(loc.key(0));
    } catch (CacheException | IgniteException e) {
      return false;
    }
  }

  /**
   * Removes every stored value in this node's partitions whose id has the high half {@code prefix}:
   * the objects of an owner that left (fate-sharing). Blocking; returns how many chunks.
   */
  public int removeOwnedBy(long prefix) {
    int n = 0;
    for (IgniteCache<ChunkKey, byte[]> c : List.of(results, puts)) {
      java.util.Set<ChunkKey> doomed = new java.util.HashSet<>();
      try (var cursor =
          c.query(
              new org.apache.ignite.cache.query.ScanQuery<ChunkKey, byte[]>(new OwnedBy(prefix))
                  .setLocal(true))) {
        for (javax.cache.Cache.Entry<ChunkKey, byte[]> e : cursor) {
          doomed.add(e.getKey());
        }
      } catch (RuntimeException e) {
        continue; // lost partitions or stopping
      }
      if (!doomed.isEmpty()) {
        c.removeAll(doomed);
        n += doomed.size();
      }
    }
    return n;
  }

  /** Selects chunks of the objects one owner made. */
  static final class OwnedBy implements org.apache.ignite.lang.IgniteBiPredicate<ChunkKey, byte[]> {
    private static final long serialVersionUID = 1L;
    private final long prefix;

    OwnedBy(long prefix) {
      this.prefix = prefix;
    }

    @Override
    public boolean apply(ChunkKey k, byte[] v) {
      return k.hi() == prefix;
    }
  }

  /** Removes a stored value; asynchronous, best effort. */
  public void remove(StoredLocation loc) {
    remoteChunks.remove(loc);
    Map<ChunkKey, Boolean> keys = new LinkedHashMap<>();
    for (int i = 0; i < loc.chunks(); i++) {
      keys.put(loc.key(i), Boolean.TRUE);
    }
    try {
      cache(loc.put()).removeAllAsync(keys.keySet());
    } catch (RuntimeException ignored) {
      // the node is stopping or the partition is lost: nothing left to free
    }
  }

  /** Chunks held in the results and puts caches, cluster-wide. */
  public long size() {
    return results.sizeLong() + puts.sizeLong();
  }

  private java.util.Collection<Integer> lostPartitions() {
    try {
      java.util.Collection<Integer> a = results.lostPartitions();
      java.util.Collection<Integer> b = puts.lostPartitions();
      if (a.isEmpty() && b.isEmpty()) {
        return java.util.Set.of();
      }
      java.util.Set<Integer> all = new java.util.HashSet<>(a);
      all.addAll(b);
      return all;
    } catch (RuntimeException e) {
      return java.util.Set.of();
    }
  }

  /**
   * Makes partitions whose every copy was lost usable again (their values are gone: reads find
   * nothing and report the object lost).
   */
  public void resetLostPartitions() {
    ClusterNode oldest = ignite.cluster().forServers().forOldest().node();
    if (oldest == null || !oldest.isLocal()) {
      return; // one node resets, so partition exchanges do not race
    }
    try {
      if (!results.lostPartitions().isEmpty() || !puts.lostPartitions().isEmpty()) {
        ignite.resetLostPartitions(List.of(RESULTS_CACHE, PUTS_CACHE));
      }
    } catch (RuntimeException ignored) {
      // another node did it, or we are stopping
    }
  }
}
