package io.flare.store.cache;

import io.flare.api.exception.FlareException;
import io.flare.api.exception.ObjectLostException;
import io.flare.store.ObjectId;
import io.flare.store.serde.ChunkedValue;
import io.flare.store.serde.ChunkedValue.ChunkVisitor;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.CacheException;
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
 * <p>Design: a value is written by a {@link Sink} in chunks that any thread can make on its own
 * (the caller and the store's threads at once, each chunk allocated, filled and stored by one of
 * them), or made first and written in the background ({@link #writeBehind}); a value is read back
 * chunk by chunk, a few chunks in flight. Every chunk of a value shares one affinity value, so the
 * whole value sits in one partition; the writer picks that partition among its own primary
 * partitions, so the primary copy stays on the node that produced it and tasks scheduled there read
 * it without a network hop.
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

  /**
   * Chunk reads and writes of a value on another node kept in flight at once (pipelining over the
   * network).
   */
  public static final int PIPELINE = 8;

  /** Chunks of a stream-decoded value fetched ahead of the one being decoded. */
  static final int READ_AHEAD = 4;

  /** Threads that read or write the chunks of one local value at once. */
  static final int CORES = Math.max(2, Runtime.getRuntime().availableProcessors());

  /** Room kept free in the region beyond what a chunk needs. */
  static final long SAFETY_MARGIN = 16L << 20;

  /**
   * Partitions of the store's caches. Fewer than Ignite's 1024: every partition of a cache takes a
   * few pages of the region even when empty (1024 took 16 MiB of a 64 MiB store), and values here
   * are few and large, so 256 spread them well enough.
   */
  static final int PARTITIONS = 256;

  /**
   * The room kept free in a region of {@code max} bytes: 16 MiB, or an eighth of a smaller region.
   * The region's metrics count pages, not the per-page and structure overhead a write needs beyond
   * its bytes; in a 64 MiB store a sixteenth (4 MiB) was once not enough (a write ran the region
   * out of memory in CI), so small stores keep 8 MiB.
   */
  static long margin(long max) {
    return Math.min(SAFETY_MARGIN, max / 8);
  }

  private final Ignite ignite;
  private final IgniteCache<ChunkKey, byte[]> results;
  private final IgniteCache<ChunkKey, byte[]> puts;
  private final int chunkSize;
  private final long maxSize;

  private final int[] affinityForPartition;
  private final AtomicLong gcRequests = new AtomicLong();
  private final java.util.concurrent.Executor pool;
  private final RoomLedger ledger;
  private volatile boolean closed;

  /** Chunks this node recently wrote or read. */
  private final ChunkCache hot;

  /**
   * @param pool threads that read and write chunks alongside the caller (at most {@link #PIPELINE}
   *     per value, {@link #CORES} for a local one); they only ever wait for Ignite, never for each
   *     other
   * @param chunkCacheBytes heap for the chunks this node recently wrote or read; 0 for none
   */
  public ObjectStore(
      Ignite ignite,
      int putBackups,
      int chunkSize,
      boolean ownRegion,
      java.util.concurrent.Executor pool,
      long chunkCacheBytes) {
    this.ignite = ignite;
    this.pool = pool;
    this.hot = new ChunkCache(chunkCacheBytes);
    this.ledger = RoomLedger.of(ignite);
    this.chunkSize = chunkSize;
    // The configured size of the region holding the store: Flare's own, or with
    // ownDataRegion=false the default region (shared with the node's other caches, checked all the
    // same).
    this.maxSize = StoreRoom.storeRegion(ignite).getMaxSize();
    this.results = ignite.getOrCreateCache(cacheConfig(RESULTS_CACHE, 0, ownRegion));
    this.puts = ignite.getOrCreateCache(cacheConfig(PUTS_CACHE, putBackups, ownRegion));
    this.affinityForPartition = affinityTable(ignite.affinity(RESULTS_CACHE));
    ClusterNode local = ignite.cluster().localNode();
    if (!local.isClient() && new FlareNodeFilter().apply(local)) {
      this.rebalancer = new StoreRebalancer(ignite, List.of(results, puts), ledger);
      rebalancer.start(REBALANCE_AT_START_MS);
    } else {
      this.rebalancer = null;
    }
  }

  /**
   * How long a server that joins waits, as it starts, for its share of the store's partitions (when
   * its store has room for them): long enough for a store of a few GiB on one network.
   */
  static final long REBALANCE_AT_START_MS = 60_000;

  /** Rebalances this server's partitions when its store has room ({@link StoreRebalancer}). */
  private final StoreRebalancer rebalancer;

  /**
   * Bytes this node's store lacks to take the partitions a change of the cluster gave it ({@link
   * StoreRebalancer}): 0 when it has taken them, or has room to; more while it keeps serving
   * without them, for want of room.
   */
  public long rebalanceShortBy() {
    return rebalancer == null ? 0 : rebalancer.shortBy();
  }

  /** Partitions of the store this node is to hold that still wait for their data. */
  public int partitionsAwaitingData() {
    return rebalancer == null ? 0 : rebalancer.waitingPartitions();
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

  @SuppressWarnings("deprecation") // setRebalanceDelay
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
        .setAffinity(
            new org.apache.ignite.cache.affinity.rendezvous.RendezvousAffinityFunction(
                false, PARTITIONS))
        .setNodeFilter(new FlareNodeFilter())
        // Ignite never moves the store's partitions on its own: each server takes its share when
        // its store has room for it (StoreRebalancer), so rebalancing cannot run a store out of
        // memory. Deprecated in Ignite 2.x for removal in 3.0, honoured by 2.17.
        .setRebalanceDelay(-1)
        .setInterceptor(new StoreRoom.RoomGuard());
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
    if (ignite.cluster().localNode().isClient()) {
      return Long.MAX_VALUE;
    }
    long[] room = StoreRoom.rawRoom(ignite);
    return room == null ? Long.MAX_VALUE : Math.max(0, room[0]);
  }

  /**
   * Bytes of this node's store promised to chunks being written right now ({@link RoomLedger});
   * zero when no write is under way.
   */
  public long reservedBytes() {
    return ledger.reserved();
  }

  /** The region's configured maximum size. */
  public long maxSize() {
    return maxSize;
  }

  /**
   * Attempts {@link #collectGarbage} makes before a write gives up for want of room: 3.1 s in all,
   * longer than the 2 s an owner waits before freeing an object whose refs went to other nodes.
   */
  static final int ROOM_ATTEMPTS = 5;

  private volatile Runnable collectElsewhere = () -> {};

  /**
   * What to do, besides collecting this JVM's garbage, when the store is short of room: the runtime
   * asks every other node to collect theirs (objects are freed by their owners, which may be
   * drivers on other nodes).
   */
  public void onShortOfRoom(Runnable collectElsewhere) {
    this.collectElsewhere = java.util.Objects.requireNonNull(collectElsewhere);
  }

  /**
   * Asks this JVM and every other node for a GC, then waits up to {@code 100 << attempt} ms for
   * {@code roomFound} to hold: unreachable ObjectRefs free their values through cleaners once
   * collected, and the removals take a moment. False if interrupted.
   */
  private boolean collectGarbage(int attempt, java.util.function.BooleanSupplier roomFound) {
    gcRequests.incrementAndGet();
    try {
      collectElsewhere.run();
    } catch (RuntimeException e) {
      // best effort: this node's own garbage is still collected
    }
    System.gc();
    long deadline = System.nanoTime() + ((100L << attempt) * 1_000_000L);
    try {
      do {
        Thread.sleep(10);
      } while (!roomFound.getAsBoolean() && System.nanoTime() < deadline);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Reserves room in this node's store for a chunk of {@code chunkBytes} about to be written here,
   * collecting garbage first when there is too little; the caller writes the chunk holding the
   * ticket ({@link RoomLedger.Ticket#hold}) and closes it once the chunk is stored.
   */
  private RoomLedger.Ticket ensureRoom(
      ObjectId id, long chunkBytes, long writtenSoFar, long knownSize) {
    long keep = margin(maxSize);
    RoomLedger.Ticket t = ledger.tryReserve(chunkBytes, freeBytes(), keep);
    for (int attempt = 0; t == null && attempt < ROOM_ATTEMPTS; attempt++) {
      if (!collectGarbage(attempt, () -> ledger.wouldFit(chunkBytes, freeBytes(), keep))) {
        break;
      }
      t = ledger.tryReserve(chunkBytes, freeBytes(), keep);
    }
    if (t == null) {
      throw noRoom(
          id,
          Math.max(knownSize, writtenSoFar + chunkBytes),
          knownSize > 0,
          writtenSoFar,
          StoreRoom.fullMessage(
              ignite.cluster().localNode().id(),
              new long[] {freeBytes() - ledger.reserved(), maxSize},
              "a chunk of " + chunkBytes),
          null);
    }
    return t;
  }

  /** Room for a chunk about to be written on this thread: a held ticket if local, else none. */
  private RoomLedger.Ticket roomFor(
      boolean local, ObjectId id, long chunkBytes, long writtenSoFar, long knownSize) {
    return local ? ensureRoom(id, chunkBytes, writtenSoFar, knownSize).hold() : null;
  }

  /** The caller's error for a value that found no room: its id and size, and the node's account. */
  private static FlareException noRoom(
      ObjectId id, long size, boolean exact, long storedBefore, String account, Throwable cause) {
    return new FlareException(
        "The object store has no room for object "
            + id
            + ": the value is "
            + (exact ? "" : "at least ")
            + size
            + " bytes"
            + (storedBefore > 0
                ? "; about "
                    + storedBefore
                    + " bytes of it were stored before the store ran out (removed again since),"
                    + " and the free room below does not count them"
                : "")
            + ". "
            + account,
        cause);
  }

  /**
   * Stores a value of {@code size} bytes that {@code encoder} produces at any offset, its chunks
   * made and written in parallel ({@link Sink#writeAll}).
   */
  public StoredLocation writeAll(ObjectId id, boolean put, long size, ChunkEncoder encoder) {
    return new Sink(id, put).writeAll(size, encoder);
  }

  /** {@code put} values whose chunks are being written in the background, by id. */
  private final java.util.concurrent.ConcurrentHashMap<ObjectId, PendingWrite> pendingWrites =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Bytes of the values in {@link #pendingWrites}: held in this node's heap until stored. */
  private final AtomicLong pendingBytes = new AtomicLong();

  /**
   * Starts storing a {@code put} value of {@code size} bytes in the background. Its chunks are made
   * now, by this thread and the store's threads, and this node reads the value from them at once;
   * the store's threads then write them to the cache, and {@link PendingWrite#done()} completes
   * with the value's location once every chunk is stored (with its backups).
   *
   * <p>Returns null, having stored nothing, when the value should rather be written before the put
   * returns: when it fits in one chunk, when more than {@code maxPending} bytes would then wait in
   * this node's heap, or when the nodes that will hold it may lack room for it (the caller's own
   * write then collects garbage and, failing that, says why).
   */
  public PendingWrite writeBehind(ObjectId id, long size, ChunkEncoder encoder, long maxPending) {
    if (closed || size <= chunkSize) {
      return null; // one chunk: written before put returns, it costs the caller little more
    }
    long cur;
    do {
      cur = pendingBytes.get();
      if (cur + size > maxPending) {
        return null;
      }
    } while (!pendingBytes.compareAndSet(cur, cur + size));
    boolean started = false;
    RoomLedger.Ticket room = null;
    Sink sink = null;
    try {
      sink = new Sink(id, true);
      if (sink.local) {
        // the whole value's room, promised until it is stored: every writer here sees it
        room = ledger.tryReserve(size, freeBytes(), margin(maxSize));
        if (room == null) {
          return null;
        }
      }
      if (reserveRoom(
              id.hi(), sink.affinity, size + size / 8, cur + cur / 8, sink.reservations, true)
          != null) {
        return null;
      }
      int n = (int) Math.max(1, (size + chunkSize - 1) / chunkSize);
      byte[][] chunks = new byte[n][];
      int size0 = chunkSize;
      try {
        new Parallel(
                pool,
                0,
                n,
                i -> {
                  long offset = (long) i * size0;
                  byte[] c = new byte[(int) Math.min(size0, size - offset)];
                  encoder.fill(offset, c);
                  chunks[i] = c;
                })
            .run(Math.min(n, CORES));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      PendingWrite w = new PendingWrite(sink, chunks, size, room);
      pendingWrites.put(id, w);
      try {
        pool.execute(w::writeNow);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        pendingWrites.remove(id, w);
        return null; // the node is stopping: the caller's write says so
      }
      started = true;
      return w;
    } finally {
      if (!started) {
        pendingBytes.addAndGet(-size);
        if (room != null) {
          room.close();
        }
        if (sink != null) {
          sink.giveBackReservations();
        }
      }
    }
  }

  /** A {@code put} value being written to the store in the background ({@link #writeBehind}). */
  public final class PendingWrite {
    private final Sink sink;
    private final long size;
    private final StoredLocation planned;
    private final java.util.concurrent.CompletableFuture<StoredLocation> done =
        new java.util.concurrent.CompletableFuture<>();
    private final RoomLedger.Ticket room;
    private volatile byte[][] chunks;
    private volatile boolean cancelled;

    PendingWrite(Sink sink, byte[][] chunks, long size, RoomLedger.Ticket room) {
      this.sink = sink;
      this.chunks = chunks;
      this.size = size;
      this.room = room;
      this.planned = sink.location(size);
    }

    /**
     * Where the value is read from on this node while it is written (and, unless the partition it
     * was meant for is lost meanwhile, where it will be stored).
     */
    public StoredLocation location() {
      return planned;
    }

    /**
     * Completes with the value's location once every chunk is stored, or exceptionally: with a
     * {@link java.util.concurrent.CancellationException} when it was {@linkplain #cancel()
     * cancelled}, else with the {@link FlareException} that says why it could not be stored. What
     * was written of a value that failed is removed again.
     */
    public java.util.concurrent.CompletableFuture<StoredLocation> done() {
      return done;
    }

    /** Stops the write (the value was freed): chunks not yet written never are, the others go. */
    public void cancel() {
      cancelled = true;
    }

    byte[] chunk(StoredLocation loc, int i) {
      byte[][] cs = chunks;
      return cs != null && loc.version() == sink.version ? cs[i] : null;
    }

    private void writeNow() {
      try {
        done.complete(sink.writeChunks(size, i -> chunks[i], () -> cancelled, room));
      } catch (Throwable t) {
        done.completeExceptionally(t);
      } finally {
        pendingWrites.remove(sink.id, this);
        chunks = null;
        pendingBytes.addAndGet(-size);
        if (room != null) {
          room.close();
        }
        sink.giveBackReservations();
      }
    }
  }

  /** Bytes of {@code put} values this node is still writing in the background. */
  public long pendingWriteBytes() {
    return pendingBytes.get();
  }

  /** Stores {@code data} whole (a convenience over {@link #sink}). */
  public StoredLocation write(ObjectId id, byte[] data, boolean put) {
    return writeAll(
        id,
        put,
        data.length,
        (offset, dst) -> System.arraycopy(data, (int) offset, dst, 0, dst.length));
  }

  /**
   * Room for a {@code put} value on the nodes that will hold it. With {@code behind}, for a value
   * written behind ({@link #writeBehind}), on all but a local primary (the caller's ledger ticket):
   * a remote primary is asked for its room now and must have {@code headroom} bytes more (what this
   * node's other unwritten values will take there), and every backup node reserves the room in its
   * own ledger ({@link StoreRoom.BackupReserve}) until the value is stored. Returns null with the
   * reservations' releases added to {@code releases}, or the refusal's words (having released what
   * it took). A node that does not answer counts as one without room: the caller then writes before
   * its put returns. Without {@code behind}, for a write before put returns: the backups only (the
   * primary checks each chunk), and a node that does not answer is left to the write. Reservations
   * are made under the value's {@code owner} (its id prefix): a backup node drops them when that
   * owner leaves.
   */
  private String reserveRoom(
      long owner, int aff, long need, long headroom, List<Runnable> releases, boolean behind) {
    Collection<ClusterNode> owners =
        ignite.affinity(PUTS_CACHE).mapKeyToPrimaryAndBackups(new ChunkKey(0, 0, 0, aff));
    boolean primary = true;
    String refusal = null;
    for (ClusterNode n : owners) {
      if (primary) {
        primary = false;
        if (n.isLocal() || !behind) {
          continue; // a write before put returns: the primary checks each chunk
        }
        long[] room = probe(n);
        if (room == null) {
          refusal = "node " + n.id() + " did not say how much room it has";
        } else if (room[0] - margin(room[1]) < need + headroom) {
          refusal = StoreRoom.fullMessage(n.id(), room, "a value of " + need);
        }
      } else if (n.isLocal()) {
        RoomLedger.Ticket t = ledger.tryReserve(need, freeBytes(), margin(maxSize));
        if (t == null) {
          refusal =
              StoreRoom.fullMessage(
                  n.id(),
                  new long[] {freeBytes() - ledger.reserved(), maxSize},
                  "a backup copy of " + need);
        } else {
          releases.add(t::close);
        }
      } else {
        java.util.UUID id = java.util.UUID.randomUUID();
        long[] room;
        try {
          room =
              ignite
                  .compute(ignite.cluster().forNode(n))
                  .withTimeout(5_000)
                  .call(new StoreRoom.BackupReserve(id, owner, need));
        } catch (RuntimeException e) {
          room = null;
        }
        if (room == null) {
          if (behind) {
            refusal = "node " + n.id() + " did not say how much room it has";
          } // else: the node left or does not answer; the write will say
        } else if (room[0] < 0) {
          refusal =
              StoreRoom.fullMessage(
                  n.id(), new long[] {-1 - room[0], room[1]}, "a backup copy of " + need);
        } else {
          releases.add(() -> releaseBackup(n, id));
        }
      }
      if (refusal != null) {
        releases.forEach(Runnable::run);
        releases.clear();
        return refusal;
      }
    }
    return null;
  }

  private void releaseBackup(ClusterNode n, java.util.UUID id) {
    try {
      ignite.compute(ignite.cluster().forNode(n)).runAsync(new StoreRoom.BackupRelease(id));
    } catch (RuntimeException e) {
      // it left, or this node is stopping: its reservation goes stale
    }
  }

  /** {free, max} of another node's store, or null if it cannot be asked. */
  private long[] probe(ClusterNode n) {
    try {
      return ignite
          .compute(ignite.cluster().forNode(n))
          .withTimeout(5_000)
          .call(new StoreRoom.RoomProbe());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** True if this node holds the primary copy of the partition of affinity value {@code aff}. */
  private boolean isPrimary(boolean put, int aff) {
    ClusterNode node = ignite.affinity(put ? PUTS_CACHE : RESULTS_CACHE).mapKeyToNode(aff);
    return node != null && node.isLocal();
  }

  /** Produces the bytes of a value at any offset, so its chunks can be made in parallel. */
  @FunctionalInterface
  public interface ChunkEncoder {
    /** Fills {@code dst} with the value's bytes from {@code offset} on. */
    void fill(long offset, byte[] dst);
  }

  /**
   * Writes the chunks of one value ({@link #writeAll}, {@link #writeBehind}): chunk 0 on the
   * calling thread (its partition may still change), then the others by that thread and the store's
   * threads at once. One write per sink.
   */
  final class Sink {
    private final ObjectId id;
    private final boolean put;
    private final long version = ThreadLocalRandom.current().nextLong();
    private int affinity;

    /** Whether this node holds the primary copy of the value's partition. */
    private boolean local;

    /** The value's chunks once its first may be in the store: what {@link #abort} removes. */
    private int chunks;

    private long size;
    private long written;

    /**
     * Room reserved for this value on the nodes that will hold it ({@link #reserveRoom}): how to
     * give it back, once ({@link #giveBackReservations}).
     */
    private final List<Runnable> reservations = new java.util.ArrayList<>(2);

    Sink(ObjectId id, boolean put) {
      this.id = id;
      this.put = put;
      this.affinity = localAffinity();
      this.local = isPrimary(put, affinity);
    }

    /** Where a value of {@code size} bytes written by this sink is stored. */
    StoredLocation location(long size) {
      int n = (int) Math.max(1, (size + chunkSize - 1) / chunkSize);
      return new StoredLocation(id, size, n, chunkSize, affinity, put, version);
    }

    /**
     * Gives back the room reserved for this value elsewhere: once the value is written, and before
     * a chunk that found no room waits for some (the refusing node may hold this value's own
     * reservation: a backup node that became the primary when the primary left).
     */
    private synchronized void giveBackReservations() {
      reservations.forEach(Runnable::run);
      reservations.clear();
    }

    /**
     * Writes a whole value of {@code size} bytes whose chunks {@code encoder} can produce
     * independently: each chunk is allocated, filled, checked for room and stored by one thread, as
     * many at a time as there are cores for a local partition, {@link #PIPELINE} for a remote one.
     */
    StoredLocation writeAll(long size, ChunkEncoder encoder) {
      int size0 = chunkSize;
      return writeChunks(
          size,
          i -> {
            long offset = (long) i * size0;
            byte[] c = new byte[(int) Math.min(size0, size - offset)];
            encoder.fill(offset, c);
            return c;
          },
          null,
          null);
    }

    /**
     * As {@link #writeAll}, with chunk {@code i} made by {@code chunkAt} (on the thread that writes
     * it). A {@code put} value's backups have their room reserved on the backup nodes first ({@link
     * #reserveRoom}). A chunk the storing node has no room for waits for garbage to be collected
     * before it gives up. With {@code cancelled}, a background write ({@link #writeBehind}): the
     * room was reserved before its put returned, this node's under {@code prepaid} when set; the
     * write stops early, removing what it wrote, once {@code cancelled} says so.
     */
    StoredLocation writeChunks(
        long size,
        java.util.function.IntFunction<byte[]> chunkAt,
        java.util.function.BooleanSupplier cancelled,
        RoomLedger.Ticket prepaid) {
      this.size = size;
      int n = (int) Math.max(1, (size + chunkSize - 1) / chunkSize);
      try {
        if (put && cancelled == null) {
          reserveBackupsWaiting(size + size / 8);
        }
        chunks = n; // from here a failure removes every chunk it may have written
        byte[] first = chunkAt.apply(0);
        try (RoomLedger.Held room =
            prepaid != null ? prepaid.lend() : roomFor(local, id, first.length, 0, size)) {
          putFirstChunk(first);
        }
        if (prepaid != null) {
          prepaid.giveBack(first.length);
        }
        if (hot.enabled()) {
          hot.put(new ChunkCache.Key(id.hi(), id.lo(), version, 0), first);
        }
        written = first.length;
        int size0 = chunkSize;
        int aff = affinity;
        new Parallel(
                pool,
                1,
                n,
                i -> {
                  if (cancelled != null && cancelled.getAsBoolean()) {
                    throw new java.util.concurrent.CancellationException(
                        "object " + id + " was freed while it was being written");
                  }
                  byte[] c = chunkAt.apply(i);
                  long offset = (long) i * size0;
                  try (RoomLedger.Held room =
                      prepaid != null
                          ? prepaid.lend()
                          : roomFor(local, id, c.length, offset, size)) {
                    putWaitingForRoom(new ChunkKey(id.hi(), id.lo(), i, aff), c);
                  }
                  if (prepaid != null) {
                    prepaid.giveBack(c.length);
                  }
                  if (hot.enabled()) {
                    hot.put(new ChunkCache.Key(id.hi(), id.lo(), version, i), c);
                  }
                })
            .run(Math.min(n - 1, local ? CORES : PIPELINE));
        written = size;
        return location(size);
      } catch (java.util.concurrent.CancellationException e) {
        abort();
        throw e;
      } catch (RuntimeException e) {
        throw failed(e);
      } catch (java.io.IOException e) {
        throw failed(new java.io.UncheckedIOException(e));
      } finally {
        giveBackReservations();
      }
    }

    /**
     * Reserves room for {@code bytes} of backups on the nodes that will hold them ({@link
     * #reserveRoom}), first collecting garbage and asking again when one has too little (dropped
     * refs free their values), as for a chunk of this node's own.
     */
    private void reserveBackupsWaiting(long bytes) {
      String refusal = reserveRoom(id.hi(), affinity, bytes, 0, reservations, false);
      for (int attempt = 0; refusal != null && attempt < ROOM_ATTEMPTS; attempt++) {
        if (!collectGarbage(attempt, () -> false)) {
          break;
        }
        refusal = reserveRoom(id.hi(), affinity, bytes, 0, reservations, false);
      }
      if (refusal != null) {
        throw new IgniteException(refusal);
      }
    }

    /**
     * Writes a chunk; a storing node without room first gets back the room reserved for this value
     * and collects garbage (dropped refs free their values) before the chunk is tried again.
     */
    private void putWaitingForRoom(ChunkKey key, byte[] chunk) {
      int moving = 0;
      for (int attempt = 0; ; ) {
        try {
          cache(put).put(key, chunk);
          return;
        } catch (CacheException | IgniteException e) {
          if (StoreRoom.storeFull(e) == null) {
            if (!isPartitionMoving(e) || moving >= 5) {
              throw e;
            }
            pause(50L << moving++, e); // Ignite moves the partition: the next try maps anew
            continue;
          }
          if (attempt >= ROOM_ATTEMPTS) {
            throw e;
          }
          giveBackReservations();
          if (!collectGarbage(attempt++, () -> false)) {
            throw e;
          }
        }
      }
    }

    private void pause(long millis, RuntimeException failure) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw failure;
      }
    }

    /**
     * Writes chunk 0 as {@link #putWaitingForRoom} does; it may also move to another partition when
     * the chosen one was just lost with a node (the loss reaches writers a moment after it
     * happens).
     */
    private void putFirstChunk(byte[] chunk) {
      for (int attempt = 0; ; attempt++) {
        try {
          putWaitingForRoom(new ChunkKey(id.hi(), id.lo(), 0, affinity), chunk);
          return;
        } catch (CacheException | IgniteException e) {
          if (attempt >= 5 || !isPartitionLoss(e)) {
            throw e;
          }
          pause(50L << attempt, e);
          affinity = localAffinity();
          local = isPrimary(put, affinity);
        }
      }
    }

    /**
     * Ends a write that failed: removes what was written, and says why — for a store without room,
     * how big the value is and the storing node's account.
     */
    private FlareException failed(RuntimeException e) {
      abort();
      if (e instanceof FlareException fe && fe.getMessage().startsWith("The object store")) {
        return fe;
      }
      String full = StoreRoom.storeFull(e);
      if (full != null) {
        return noRoom(id, size, true, written, full, e);
      }
      return new FlareException("Could not store object " + id + ": " + e.getMessage(), e);
    }

    /** Removes what was written. */
    private void abort() {
      if (chunks > 0) {
        remove(location(size));
        chunks = 0;
      }
    }
  }

  /**
   * A stored value for {@link
   * io.flare.store.serde.FlareSerializer#deserializeChunks(ChunkedValue)}: its chunks read in order
   * a few ahead, or all at once by several threads.
   */
  public ChunkedValue value(StoredLocation loc) {
    return new StoredValue(loc);
  }

  /** Chunk {@code i} of a stored value: from this node's chunk cache, or the store. */
  byte[] chunk(StoredLocation loc, int i) {
    PendingWrite w = pendingWrites.get(loc.id());
    byte[] p = w == null ? null : w.chunk(loc, i);
    if (p != null) {
      if (hot.enabled()) {
        hot.countHit(); // read from this node's heap, as from its chunk cache
      }
      return p;
    }
    ChunkCache.Key cached = ChunkCache.Key.of(loc, i);
    byte[] c = hot.get(cached);
    if (c != null) {
      return c;
    }
    // Readers of the same chunk at the same time share one fetch (8 threads reading one value
    // fetched each chunk 5 times on average before).
    java.util.concurrent.CompletableFuture<byte[]> mine =
        new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CompletableFuture<byte[]> other = fetching.putIfAbsent(cached, mine);
    if (other != null) {
      try {
        c = other.join();
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw e;
      }
      hot.countHit();
      return c;
    }
    try {
      c = hot.get(cached); // another reader's fetch may have ended just before this one began
      if (c == null) {
        hot.countMiss();
        try {
          c = cache(loc.put()).get(loc.key(i));
        } catch (CacheException | IgniteException e) {
          throw lost(loc, e);
        }
        if (c == null) {
          throw lost(loc, null);
        }
        if (hot.enabled()) {
          hot.put(cached, c);
        }
      }
      mine.complete(c);
      return c;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      fetching.remove(cached, mine);
    }
  }

  /** Chunk fetches under way on this node, shared by the readers that want the same chunk. */
  private final java.util.concurrent.ConcurrentHashMap<
          ChunkCache.Key, java.util.concurrent.CompletableFuture<byte[]>>
      fetching = new java.util.concurrent.ConcurrentHashMap<>();

  /** True if this node holds a copy (primary or backup) of the value's partition. */
  private boolean isLocal(StoredLocation loc) {
    return ignite
        .affinity(loc.put() ? PUTS_CACHE : RESULTS_CACHE)
        .isPrimaryOrBackup(ignite.cluster().localNode(), loc.key(0));
  }

  /**
   * Brings a stored value's chunks into this node's chunk cache (as many as it holds), so a read
   * soon after needs no fetch; nothing when the cache is off. Blocking.
   */
  public void fetchIntoChunkCache(StoredLocation loc) {
    if (!hot.enabled()) {
      return;
    }
    long room = hot.maxBytes();
    long taken = 0;
    for (int i = 0; i < loc.chunks() && taken < room; i++) {
      taken += chunk(loc, i).length;
    }
  }

  /** True if every chunk of the value is in this node's chunk cache now. */
  public boolean inChunkCache(StoredLocation loc) {
    PendingWrite w = pendingWrites.get(loc.id());
    if (w != null && w.chunk(loc, 0) != null) {
      return true; // still in this node's heap, being written
    }
    for (int i = 0; i < loc.chunks(); i++) {
      if (!hot.contains(ChunkCache.Key.of(loc, i))) {
        return false;
      }
    }
    return true;
  }

  /** Empties this node's chunk cache (benchmarks: reads then come from the store). */
  public void clearChunkCache() {
    hot.clear();
  }

  /** Chunk reads answered from this node's chunk cache, those that were not, and its bytes. */
  public long[] chunkCacheHitsMissesBytes() {
    return new long[] {hot.hits(), hot.misses(), hot.bytes()};
  }

  /** The reading side of one stored value. */
  private final class StoredValue implements ChunkedValue {
    private final StoredLocation loc;

    StoredValue(StoredLocation loc) {
      this.loc = loc;
    }

    @Override
    public long size() {
      return loc.size();
    }

    @Override
    public int chunks() {
      return loc.chunks();
    }

    @Override
    public int chunkSize() {
      return loc.chunkSize();
    }

    /**
     * Chunk 0. When it comes from the chunk cache, the value must still be in the store: a freed or
     * lost value is reported so, whatever this node still remembers of it.
     */
    @Override
    public byte[] first() {
      if (hot.contains(ChunkCache.Key.of(loc, 0)) && !exists(loc)) {
        hot.remove(loc);
        throw lost(loc, null);
      }
      return chunk(loc, 0);
    }

    @Override
    public java.util.Iterator<byte[]> rest() {
      return new ChunkIterator(loc, 1);
    }

    @Override
    public void forEachRest(ChunkVisitor visitor) throws java.io.IOException {
      int n = loc.chunks() - 1;
      if (n <= 0) {
        return;
      }
      // Local chunks are read by as many threads as there are cores; remote ones are kept in
      // flight PIPELINE at a time (those threads mostly wait for the network).
      int threads = Math.min(n, isLocal(loc) ? CORES : PIPELINE);
      new Parallel(pool, 1, n + 1, i -> visitor.accept(i, chunk(loc, i))).run(threads);
    }
  }

  /**
   * The chunks of one value from {@code from} on, in order, keeping the next few in flight (read by
   * the store's threads); a chunk fetched from another node goes to the node's chunk cache.
   */
  /** Marks, in a {@link ChunkIterator}'s queue, a chunk the reading thread fetches itself. */
  private static final java.util.concurrent.CompletableFuture<byte[]> READ_HERE =
      new java.util.concurrent.CompletableFuture<>();

  private final class ChunkIterator implements java.util.Iterator<byte[]> {
    private final StoredLocation loc;
    private int next;
    private int requested;

    /** Chunks requested, in order: a read in flight, or {@link #READ_HERE}. */
    private final java.util.ArrayDeque<java.util.concurrent.CompletableFuture<byte[]>> ahead =
        new java.util.ArrayDeque<>();

    ChunkIterator(StoredLocation loc, int from) {
      this.loc = loc;
      this.next = from;
      this.requested = from;
    }

    private void prefetch() {
      while (requested < loc.chunks() && requested - next < READ_AHEAD) {
        int i = requested++;
        if (requested == next + 1) {
          ahead.add(READ_HERE); // the chunk needed now: read on this thread
        } else {
          try {
            ahead.add(
                java.util.concurrent.CompletableFuture.supplyAsync(() -> chunk(loc, i), pool));
          } catch (java.util.concurrent.RejectedExecutionException e) {
            ahead.add(READ_HERE); // the node is stopping: read when needed
          }
        }
      }
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
      var f = ahead.poll();
      int index = next++;
      if (f == READ_HERE) {
        return chunk(loc, index);
      }
      try {
        return f.join();
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw e;
      }
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

  /**
   * True if {@code e} says an update met a partition Ignite was moving away from a node
   * (rebalancing after nodes joined or left): "Failed to update key on backup node", caused by
   * "Tree is being concurrently destroyed" (seen once in CI). Trying the update again maps it anew.
   */
  private static boolean isPartitionMoving(Throwable e) {
    return StoreRoom.messageFrom(e, "concurrently destroyed") != null;
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
    hot.removeOwnedBy(prefix);
    ledger.releaseForOwner(prefix);
    int n = 0;
    for (IgniteCache<ChunkKey, byte[]> c : List.of(results, puts)) {
      java.util.Set<ChunkKey> doomed = new java.util.HashSet<>();
      // Backup copies too: the departed node's primaries pass to the nodes holding their backups
      // only once Ignite's exchange ends, and a scan of this node's primaries that ran before
      // missed them for good (acceptance testing: 1-17 chunks left on each survivor).
      try {
        for (javax.cache.Cache.Entry<ChunkKey, byte[]> e :
            c.localEntries(
                org.apache.ignite.cache.CachePeekMode.PRIMARY,
                org.apache.ignite.cache.CachePeekMode.BACKUP)) {
          if (closed) {
            return n; // the node is stopping: its memory is about to go
          }
          if (e.getKey().hi() == prefix) {
            doomed.add(e.getKey());
          }
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

  /**
   * Marks the store closed as its node stops: a scan of the node's own partitions in progress ends
   * at its next entry (a scan still running when Ignite releases the region's memory would read
   * freed memory and crash the JVM: seen once in a test, as a SIGSEGV in a scan).
   */
  public void close() {
    closed = true;
    if (rebalancer != null) {
      rebalancer.close();
    }
    // Values still being written in the background are given up (their owner is going, so they
    // would be freed), and what was written of them removed, before the node leaves.
    long deadline = System.nanoTime() + 10_000_000_000L;
    for (PendingWrite w : pendingWrites.values()) {
      w.cancel();
    }
    for (PendingWrite w : pendingWrites.values()) {
      try {
        w.done()
            .get(
                Math.max(1, deadline - System.nanoTime()),
                java.util.concurrent.TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        // cancelled or failed as expected, or taking too long: the node leaves all the same
      }
    }
  }

  /** Removes a stored value; asynchronous, best effort. */
  public void remove(StoredLocation loc) {
    hot.remove(loc);
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
