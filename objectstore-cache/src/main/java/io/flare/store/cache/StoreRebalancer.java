package io.flare.store.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cache.CachePeekMode;
import org.apache.ignite.cache.affinity.Affinity;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteClosure;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * Rebalancing of the store's caches, started by each server only when its store has room for what
 * it will receive.
 *
 * <p>Why: when a server leaves, Ignite copies partitions to the survivors to restore the backup
 * count, and when one joins it moves partitions to it. Those copies bypass {@link
 * StoreRoom.RoomGuard} and the {@link RoomLedger}: a survivor whose store cannot take them runs its
 * data region out of memory, and Ignite stops it (acceptance testing lost a whole three-server
 * cluster that way: 64 MiB stores, eight 8 MiB values with one backup each, one server stopped).
 *
 * <p>So the caches are created with {@code rebalanceDelay = -1}: Ignite never rebalances them on
 * its own. Until a node has rebalanced, Ignite keeps the old owners of a partition as its primary
 * and backups ("late affinity"), so every value stays readable; new writes reach the new holders
 * too. Each server watches its own partitions that wait for data (Ignite's {@code
 * rebalancingPartitionsCount}); for those it asks each partition's primary how many bytes it holds
 * there beyond what this node already has, reserves that much (plus page overhead and the store's
 * margin) in its {@link RoomLedger} so writers cannot take it meanwhile, and only then asks Ignite
 * to rebalance this node ({@link IgniteCache#rebalance()}: local to the node, it forces every cache
 * group of the node that waits, so both caches are measured and started together). A node without
 * the room logs a warning that names the bytes, the room and the setting, keeps serving with the
 * copies it has (a value whose backup could not be restored has one copy fewer), and tries again
 * every few seconds, as freed values make room.
 */
final class StoreRebalancer implements AutoCloseable {
  /** How often this node's partitions are checked. */
  static final long TICK_MS = 200;

  /** How long a node short of room waits before it measures again. */
  static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final Ignite ignite;
  private final IgniteLogger log;
  private final RoomLedger ledger;
  private final List<IgniteCache<ChunkKey, byte[]>> caches;
  private final ScheduledExecutorService timer;
  private volatile boolean closed;

  // The state of this node's rebalancing, touched by the timer thread only (shortBy is read by
  // others). One state for all the store's caches: IgniteCache.rebalance() forces a rebalance of
  // every cache group of the node that waits (not only the cache it is called on), and each forced
  // rebalance cancels the one under way. In a first version each cache had its own check and call:
  // the results cache's call, with nothing to take, started the puts cache that had been refused
  // for want of room, and its copies ran the region out of memory (7 of 19 runs of
  // StoreRebalanceTest, and 6 of 10 kill -9 runs of an acceptance test); and two calls a tick kept
  // cancelling each other, so a rebalance slower than a tick never ended. So the room is measured
  // and reserved for both caches at once, and rebalance() is called once, never while a rebalance
  // it started is under way.
  private IgniteFuture<Boolean> running;
  private RoomLedger.Ticket reserved; // the room held for the rebalance under way, if any
  private long runningTopVer = -1;
  private long doneTopVer = -1;
  private long retryAt; // nanoTime before which nothing is measured again (0: none)
  private long refusedTopVer = -1;
  private long refusedFree = -1;
  private long failedTopVer = -1;
  private long seenTopVer = -1;
  private volatile long shortBy; // bytes more than the room, while refused; 0 otherwise

  StoreRebalancer(Ignite ignite, List<IgniteCache<ChunkKey, byte[]>> caches, RoomLedger ledger) {
    this.ignite = ignite;
    this.log = ignite.log().getLogger(StoreRebalancer.class);
    this.ledger = ledger;
    this.caches = List.copyOf(caches);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "flare-store-rebalancer");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Rebalances this node now if it has room (waiting up to {@code timeoutMs} for the data to
   * arrive, so a server that joins holds its share before it serves), then keeps watching.
   */
  void start(long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    try {
      timer
          .submit(
              () -> {
                while (System.nanoTime() < deadline && !closed) {
                  tick();
                  if (settled()) {
                    return;
                  }
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                }
              })
          .get(timeoutMs + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warning("Flare store: first rebalancing check did not end in time: " + e);
    }
    timer.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
  }

  /** Whether this node waits for no rebalance that could start now. */
  private boolean settled() {
    if (shortBy > 0) {
      return true; // no room: it serves without its share
    }
    if (running != null || (waitingPartitions() > 0 && doneTopVer != topVer())) {
      return false;
    }
    // the data is here (or Ignite has not yet shown what waits: right after the join, the
    // partitions' states may lag); Ignite makes this node the primary of its partitions just
    // after. Settled once this node is seen holding and primary for partitions of each cache, or
    // 5 s after nothing seemed to wait (in case the switch waits on other nodes' rebalancing).
    if (dataHereAt == 0) {
      dataHereAt = System.nanoTime();
    }
    ClusterNode me = ignite.cluster().localNode();
    boolean confirmed = true;
    for (IgniteCache<ChunkKey, byte[]> c : caches) {
      Affinity<Object> aff = ignite.affinity(c.getName());
      confirmed &= aff.allPartitions(me).length > 0 && aff.primaryPartitions(me).length > 0;
    }
    return confirmed || System.nanoTime() - dataHereAt > TimeUnit.SECONDS.toNanos(5);
  }

  private long dataHereAt; // when the start-up wait found this node's data in place

  private long topVer() {
    return ignite.cluster().topologyVersion();
  }

  /**
   * Bytes this node's store lacks to take the partitions it waits for (0 when it waits for none, or
   * has started taking them).
   */
  long shortBy() {
    return shortBy;
  }

  /** Partitions of this node that wait for data, over the store's caches. */
  int waitingPartitions() {
    int n = 0;
    for (IgniteCache<ChunkKey, byte[]> c : caches) {
      try {
        n += c.localMetrics().getRebalancingPartitionsCount();
      } catch (RuntimeException e) {
        // stopping
      }
    }
    return n;
  }

  private void tick() {
    if (closed) {
      return;
    }
    try {
      check();
    } catch (RuntimeException e) {
      // a node left mid-measure, or this one is stopping: measure again next tick (said once per
      // cluster layout)
      long topVer = topVer();
      if (!closed && failedTopVer != topVer) {
        failedTopVer = topVer;
        log.info("Flare store: rebalancing check failed: " + e);
      }
    }
  }

  private void check() {
    long topVer = topVer();
    boolean stable = topVer == seenTopVer; // unchanged since the last tick
    seenTopVer = topVer;
    if (running != null) {
      if (!running.isDone()) {
        return;
      }
      boolean done;
      try {
        done = running.get();
      } catch (RuntimeException e) {
        done = false;
      }
      running = null;
      if (done) {
        doneTopVer = runningTopVer;
      } else {
        // cancelled, by a newer topology or another forced rebalance: measure again in a while
        retryAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      }
    }
    int waiting = waitingPartitions();
    if (reserved != null && (waiting == 0 || doneTopVer == topVer || retryAt != 0)) {
      // the data of the rebalance is stored (its pages count in the region's metrics), or it
      // stopped: the room held for it goes back
      reserved.close();
      reserved = null;
    }
    if (waiting == 0) {
      shortBy = 0;
      retryAt = 0;
      return;
    }
    if (doneTopVer == topVer || !stable) {
      return; // rebalanced at this topology (what still waits has no data), or it is changing
    }
    long[] room = StoreRoom.rawRoom(ignite);
    if (retryAt != 0 && System.nanoTime() < retryAt) {
      // short of room, or cancelled: measure again early only if the layout or the room changed
      boolean moreRoom = room != null && refusedFree >= 0 && room[0] > refusedFree + (4L << 20);
      if (refusedTopVer == topVer && !moreRoom) {
        return;
      }
    }
    long need = 0;
    for (IgniteCache<ChunkKey, byte[]> c : caches) {
      need += incoming(c);
    }
    RoomLedger.Ticket ticket = null;
    if (room != null && need > 0) {
      ticket = ledger.tryReserve(need, room[0], ObjectStore.margin(room[1]));
      if (ticket == null) {
        long keep = ObjectStore.margin(room[1]);
        long lack = ledger.lack(need, room[0], keep);
        if (refusedTopVer != topVer || shortBy == 0) {
          warn(
              StoreRoom.fullMessage(
                      ignite.cluster().localNode().id(),
                      new long[] {room[0] - ledger.reserved(), room[1]},
                      "the stored values that the new cluster layout gives it (with an eighth more"
                          + " for page overhead and the "
                          + keep
                          + " bytes the store keeps free): "
                          + need)
                  + ". It keeps serving without them (they stay on the servers holding them now,"
                  + " and a put value whose backup copy left with a server has one copy fewer)"
                  + " and takes them once room is freed");
        }
        shortBy = Math.max(1, lack);
        retryAt = System.nanoTime() + RETRY_NANOS;
        refusedTopVer = topVer;
        refusedFree = room[0];
        return;
      }
      ticket.keep();
    }
    if (shortBy > 0) {
      warn(
          "Flare store: node "
              + ignite.cluster().localNode().id()
              + (need > 0
                  ? " now has the room to take the "
                      + need
                      + " bytes of stored values it is to"
                      + " hold, and takes them"
                  : " no longer lacks room: the values it was to take were freed"));
    }
    shortBy = 0;
    retryAt = 0;
    refusedFree = -1;
    reserved = ticket;
    runningTopVer = topVer;
    // one call: it forces the rebalance of every cache group of this node that waits
    running = caches.get(caches.size() - 1).rebalance();
  }

  /** A warning that reaches the console also when Ignite runs quiet (its default on servers). */
  private void warn(String msg) {
    log.warning(msg);
    if (log.isQuiet()) {
      System.err.println("[Flare] " + msg);
    }
  }

  /**
   * Bytes the partitions of this node that lag behind their primary hold there: for each partition
   * this node is to hold, its local entry count is compared with the primary's, and the primary
   * sums the bytes of each partition where it holds more. An upper bound of what rebalancing brings
   * (a partition partly taken before counts whole).
   */
  private long incoming(IgniteCache<ChunkKey, byte[]> cache) {
    Affinity<Object> aff = ignite.affinity(cache.getName());
    ClusterNode me = ignite.cluster().localNode();
    Map<ClusterNode, List<Integer>> bySupplier = new HashMap<>();
    for (int p : aff.allPartitions(me)) {
      ClusterNode primary = aff.mapPartitionToNode(p);
      if (primary != null && !primary.id().equals(me.id())) {
        bySupplier.computeIfAbsent(primary, n -> new ArrayList<>()).add(p);
      }
    }
    long need = 0;
    for (Map.Entry<ClusterNode, List<Integer>> e : bySupplier.entrySet()) {
      List<Integer> parts = e.getValue();
      int[] ps = new int[parts.size()];
      long[] have = new long[parts.size()];
      for (int i = 0; i < ps.length; i++) {
        ps[i] = parts.get(i);
        have[i] = cache.localSizeLong(ps[i], CachePeekMode.PRIMARY, CachePeekMode.BACKUP);
      }
      need +=
          ignite
              .compute(ignite.cluster().forNode(e.getKey()))
              .withTimeout(60_000)
              .call(new LaggingBytes(cache.getName(), ps, have));
    }
    return need;
  }

  /**
   * Run on a partition's primary: the bytes it holds in each given partition where it holds more
   * entries than the asking node ({@code have}).
   */
  static final class LaggingBytes implements IgniteCallable<Long> {
    private static final long serialVersionUID = 1L;
    private final String cacheName;
    private final int[] parts;
    private final long[] have;
    @IgniteInstanceResource private transient Ignite ignite;

    LaggingBytes(String cacheName, int[] parts, long[] have) {
      this.cacheName = cacheName;
      this.parts = parts;
      this.have = have;
    }

    @Override
    public Long call() {
      IgniteCache<ChunkKey, byte[]> cache = ignite.cache(cacheName);
      long bytes = 0;
      for (int i = 0; i < parts.length; i++) {
        if (cache.localSizeLong(parts[i], CachePeekMode.PRIMARY) <= have[i]) {
          continue;
        }
        try (QueryCursor<Integer> c =
            cache.query(
                new ScanQuery<ChunkKey, byte[]>().setLocal(true).setPartition(parts[i]),
                new ValueLength())) {
          for (Integer len : c) {
            bytes += len;
          }
        }
      }
      return bytes;
    }
  }

  /** The length of a chunk, computed where it is stored. */
  static final class ValueLength implements IgniteClosure<Cache.Entry<ChunkKey, byte[]>, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer apply(Cache.Entry<ChunkKey, byte[]> e) {
      byte[] v = e.getValue();
      return v == null ? 0 : v.length;
    }
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RoomLedger.Ticket t = reserved;
    if (t != null) {
      t.close();
    }
  }
}
