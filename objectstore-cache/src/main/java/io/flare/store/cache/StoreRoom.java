package io.flare.store.cache;

import org.apache.ignite.DataRegionMetrics;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.configuration.DataRegionConfiguration;

/**
 * Room in the object store on nodes other than the writer's: the guard every storing node runs on
 * each chunk, the probe a writer sends to the nodes that will hold backups, and the words of a
 * refusal. The writer's own node is checked by {@link ObjectStore} itself.
 */
final class StoreRoom {
  private StoreRoom() {}

  /**
   * The room {@link RoomGuard} keeps free in a region of {@code max} bytes: half the writer's
   * margin, so writers on the node itself stop first.
   */
  static long guardMargin(long max) {
    return ObjectStore.margin(max) / 2;
  }

  /**
   * Refuses, on the node that stores it, a chunk its data region has no room for. The writer checks
   * the room of its own node before each chunk (and makes room by collecting garbage); this guard
   * covers writes to other nodes — a client's {@code put}, a value whose partition lives elsewhere,
   * backups — for which Ignite would otherwise run the region out of memory, a critical failure
   * that stops the node. The refusal reaches the writer as a failed update carrying {@link #FULL}.
   */
  static final class RoomGuard
      extends org.apache.ignite.cache.CacheInterceptorAdapter<ChunkKey, byte[]> {
    private static final long serialVersionUID = 1L;

    /** Starts the message of a refusal. */
    static final String FULL = "Flare object store full";

    @org.apache.ignite.resources.IgniteInstanceResource private transient Ignite ignite;

    @Override
    public byte[] onBeforePut(javax.cache.Cache.Entry<ChunkKey, byte[]> entry, byte[] newVal) {
      Ignite node = ignite;
      if (node == null || newVal == null) {
        return newVal;
      }
      RoomLedger ledger = RoomLedger.of(node);
      if (ledger.heldHere()) {
        return newVal; // a writer on this node reserved this chunk's room (with a larger margin)
      }
      RoomLedger.releaseGuardTicket(); // left by an update on this thread that did not complete
      long[] room = rawRoom(node);
      if (room == null) {
        return newVal;
      }
      RoomLedger.Ticket t = ledger.tryReserve(newVal.length, room[0], guardMargin(room[1]));
      if (t == null) {
        throw new IgniteException(
            fullMessage(
                node.cluster().localNode().id(),
                new long[] {room[0] - ledger.reserved(), room[1]},
                "a chunk of " + newVal.length));
      }
      t.holdForGuard();
      return newVal;
    }

    @Override
    public void onAfterPut(javax.cache.Cache.Entry<ChunkKey, byte[]> entry) {
      RoomLedger.releaseGuardTicket(); // the chunk is stored: its pages count in the metrics now
    }
  }

  /** The refusal's words: which node, its room, and the setting that raises it. */
  static String fullMessage(java.util.UUID node, long[] room, String what) {
    return RoomGuard.FULL
        + ": node "
        + node
        + " has "
        + Math.max(0, room[0])
        + " of "
        + room[1]
        + " bytes free, too few for "
        + what
        + " bytes; raise FlarePluginConfiguration.storeMaxSize (data region '"
        + ObjectStore.REGION
        + "'; with ownDataRegion=false, the maxSize of the node's default data region) or release"
        + " ObjectRefs you no longer need";
  }

  /**
   * The configuration of the data region that holds the store on {@code node}: Flare's own ({@link
   * ObjectStore#REGION}) when the node configures it, else (ownDataRegion=false) the node's default
   * region (Ignite's defaults when the node sets none). The one place that decides it: the store,
   * its cache guard and the room probe all read their room from this region.
   */
  static DataRegionConfiguration storeRegion(Ignite node) {
    var storage = node.configuration().getDataStorageConfiguration();
    if (storage == null) {
      storage = new org.apache.ignite.configuration.DataStorageConfiguration();
    }
    if (storage.getDataRegionConfigurations() != null) {
      for (DataRegionConfiguration r : storage.getDataRegionConfigurations()) {
        if (ObjectStore.REGION.equals(r.getName())) {
          return r;
        }
      }
    }
    return storage.getDefaultDataRegionConfiguration();
  }

  /**
   * {free, max} bytes of the store's region on {@code node} less what its store has promised to
   * chunks being written ({@link RoomLedger}), or null if unknown.
   */
  static long[] room(Ignite node) {
    long[] room = rawRoom(node);
    if (room != null) {
      room[0] -= RoomLedger.of(node).reserved();
    }
    return room;
  }

  /** {free, max} bytes of the store's region on {@code node}, or null if unknown. */
  static long[] rawRoom(Ignite node) {
    DataRegionConfiguration region = storeRegion(node);
    long cap = region.getMaxSize();
    DataRegionMetrics m = node.dataRegionMetrics(region.getName());
    if (cap <= 0 || m == null) {
      return null;
    }
    return new long[] {cap - m.getTotalUsedPages() * (long) m.getPageSize(), cap};
  }

  /**
   * Asks a node for the room in its store ({@link #room}); run there by Ignite's compute, as the
   * writer of a value checks the nodes that will hold its backups (Ignite writes backups without
   * asking {@link RoomGuard}).
   */
  static final class RoomProbe implements org.apache.ignite.lang.IgniteCallable<long[]> {
    private static final long serialVersionUID = 1L;

    @org.apache.ignite.resources.IgniteInstanceResource private transient Ignite ignite;

    @Override
    public long[] call() {
      return room(ignite);
    }
  }

  /**
   * Reserves, on a node that will hold backups of a {@code put} value, room for them in that node's
   * {@link RoomLedger}, so that its own writers and everyone who asks it for its room see the room
   * as taken until the value is stored ({@link BackupRelease}). Ignite writes backups without the
   * guard; counting them only on the writer's side let a node's own writers take the room the
   * backups of another node's values were about to use, and the region ran out of memory. Answers
   * {free, max} of the node's store, with {@code free} negative when it refused.
   */
  static final class BackupReserve implements org.apache.ignite.lang.IgniteCallable<long[]> {
    private static final long serialVersionUID = 1L;

    private final java.util.UUID id;
    private final long owner;
    private final long bytes;

    @org.apache.ignite.resources.IgniteInstanceResource private transient Ignite ignite;

    BackupReserve(java.util.UUID id, long owner, long bytes) {
      this.id = id;
      this.owner = owner;
      this.bytes = bytes;
    }

    @Override
    public long[] call() {
      long[] room = rawRoom(ignite);
      if (room == null) {
        return null;
      }
      RoomLedger ledger = RoomLedger.of(ignite);
      if (ledger.tryReserveForOther(id, owner, bytes, room[0], ObjectStore.margin(room[1]))) {
        return room;
      }
      return new long[] {-1 - Math.max(0, room[0] - ledger.reserved()), room[1]};
    }
  }

  /** Gives back a {@link BackupReserve}'s room once the value's write ended. */
  static final class BackupRelease implements org.apache.ignite.lang.IgniteRunnable {
    private static final long serialVersionUID = 1L;

    private final java.util.UUID id;

    @org.apache.ignite.resources.IgniteInstanceResource private transient Ignite ignite;

    BackupRelease(java.util.UUID id) {
      this.id = id;
    }

    @Override
    public void run() {
      RoomLedger.of(ignite).releaseForOther(id);
    }
  }

  /** The guard's refusal in {@code e}'s causes or suppressed exceptions, or null. */
  static String storeFull(Throwable e) {
    return messageFrom(e, RoomGuard.FULL);
  }

  /**
   * The message of {@code e}, its causes or its suppressed exceptions that contains {@code words},
   * from those words on; or null.
   */
  static String messageFrom(Throwable e, String words) {
    java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
    java.util.Set<Throwable> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    todo.add(e);
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (!seen.add(t)) {
        continue;
      }
      String m = t.getMessage();
      if (m != null) {
        int at = m.indexOf(words);
        if (at >= 0) {
          return m.substring(at);
        }
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      todo.addAll(java.util.Arrays.asList(t.getSuppressed()));
    }
    return null;
  }
}
