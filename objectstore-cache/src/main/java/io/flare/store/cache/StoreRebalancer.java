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
 * to rebalance this node ({@link IgniteCache#rebalance()}, local to the node). A node without the
 * room logs a warning that names the bytes, the room and the setting, keeps serving with the copies
 * it has (a value whose backup could not be restored has one copy fewer), and tries again every few
 * seconds, as freed values make room.
 */
final class StoreRebalancer implements AutoCloseable {
  /** How often each cache's partitions are checked. */
  static final long TICK_MS = 200;

  /** How long a node short of room waits before it measures again. */
  static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final Ignite ignite;
  private final IgniteLogger log;
  private final RoomLedger ledger;
  private final List<Watch> watches = new ArrayList<>();
  private final ScheduledExecutorService timer;
  private volatile boolean closed;

  /** The state of one cache's rebalancing on this node; touched by the timer thread only. */
  private static final class Watch {
    final IgniteCache<ChunkKey, byte[]> cache;
    IgniteFuture<Boolean> running;
    long runningTopVer = -1;
    long doneTopVer = -1;
    long refusedAt;
    long refusedTopVer = -1;
    long failedTopVer = -1;
    volatile long shortBy; // bytes more than the room, while refused; 0 otherwise

    Watch(IgniteCache<ChunkKey, byte[]> cache) {
      this.cache = cache;
    }
  }

  StoreRebalancer(Ignite ignite, List<IgniteCache<ChunkKey, byte[]>> caches, RoomLedger ledger) {
    this.ignite = ignite;
    this.log = ignite.log().getLogger(StoreRebalancer.class);
    this.ledger = ledger;
    for (IgniteCache<ChunkKey, byte[]> c : caches) {
      watches.add(new Watch(c));
    }
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

  /** Whether no cache waits for a rebalance that could start now. */
  private boolean settled() {
    long topVer = ignite.cluster().topologyVersion();
    for (Watch w : watches) {
      if (w.running != null || (moving(w) > 0 && w.refusedAt == 0 && w.doneTopVer != topVer)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Bytes this node's store lacks to take the partitions it waits for (0 when it waits for none, or
   * has started taking them).
   */
  long shortBy() {
    long s = 0;
    for (Watch w : watches) {
      s += w.shortBy;
    }
    return s;
  }

  /** Partitions of this node that wait for data, over the store's caches. */
  int waitingPartitions() {
    int n = 0;
    for (Watch w : watches) {
      n += moving(w);
    }
    return n;
  }

  private static int moving(Watch w) {
    try {
      return w.cache.localMetrics().getRebalancingPartitionsCount();
    } catch (RuntimeException e) {
      return 0; // stopping
    }
  }

  private void tick() {
    for (Watch w : watches) {
      if (closed) {
        return;
      }
      try {
        check(w);
      } catch (RuntimeException e) {
        // a node left mid-measure, or this one is stopping: measure again next tick (said once
        // per cluster layout)
        long topVer = ignite.cluster().topologyVersion();
        if (!closed && w.failedTopVer != topVer) {
          w.failedTopVer = topVer;
          log.info("Flare store: rebalancing check of " + w.cache.getName() + " failed: " + e);
        }
      }
    }
  }

  private void check(Watch w) {
    long topVer = ignite.cluster().topologyVersion();
    if (w.running != null) {
      if (!w.running.isDone()) {
        return;
      }
      boolean done = false;
      try {
        done = w.running.get();
      } catch (RuntimeException e) {
        // cancelled by a newer topology: measured again below
      }
      if (done) {
        w.doneTopVer = w.runningTopVer;
      }
      w.running = null;
    }
    if (moving(w) == 0) {
      w.shortBy = 0;
      w.refusedAt = 0;
      return;
    }
    if (w.doneTopVer == topVer) {
      return; // rebalanced at this topology: what still counts as waiting has no data to take
    }
    if (w.refusedAt != 0
        && w.refusedTopVer == topVer
        && System.nanoTime() - w.refusedAt < RETRY_NANOS) {
      return;
    }
    long need = incoming(w.cache);
    RoomLedger.Ticket ticket = null;
    long[] room = StoreRoom.rawRoom(ignite);
    if (room != null && need > 0) {
      ticket = ledger.tryReserve(need, room[0], ObjectStore.margin(room[1]));
      if (ticket == null) {
        long free = room[0] - ledger.reserved();
        long lack = need + need / 8 + ObjectStore.margin(room[1]) - free;
        if (w.refusedTopVer != topVer || w.shortBy == 0) {
          log.warning(
              "Flare store: node "
                  + ignite.cluster().localNode().id()
                  + " has "
                  + Math.max(0, free)
                  + " of "
                  + room[1]
                  + " bytes free, too few to take the "
                  + need
                  + " bytes of cache '"
                  + w.cache.getName()
                  + "' that the new cluster layout gives it; it keeps serving without them"
                  + " (values whose backup copy was lost keep one copy fewer) and tries again as"
                  + " room is freed. Raise FlarePluginConfiguration.storeMaxSize so a store can"
                  + " take a departed server's share, or release ObjectRefs you no longer need");
        }
        w.shortBy = Math.max(1, lack);
        w.refusedAt = System.nanoTime();
        w.refusedTopVer = topVer;
        return;
      }
      ticket.keep();
    }
    w.shortBy = 0;
    w.refusedAt = 0;
    RoomLedger.Ticket held = ticket;
    w.runningTopVer = topVer;
    w.running = w.cache.rebalance();
    w.running.listen(
        f -> {
          if (held != null) {
            held.close();
          }
        });
    if (need > 0) {
      log.info(
          "Flare store: node "
              + ignite.cluster().localNode().id()
              + " takes "
              + need
              + " bytes of cache '"
              + w.cache.getName()
              + "' for the new cluster layout");
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
  }
}
