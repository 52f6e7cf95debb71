package io.flare.store.cache;

import java.util.ArrayList;
import java.util.List;
import org.apache.ignite.Ignite;

/**
 * The room a node's store has promised to chunks being written right now. The region's used pages
 * only grow once a chunk is stored, so two writers that each check the room and then write could
 * both pass a check that only one of them fits, and a region out of memory stops the node. Every
 * chunk written to this node's store therefore first takes a {@link Ticket} for its bytes here: the
 * check and the reservation are one step, and the ticket is given back once the chunk is stored
 * (its pages then count in the region's metrics).
 *
 * <p>One ledger per node, kept in the node's local map so the store's writers and the cache
 * interceptor ({@link StoreRoom.RoomGuard}) on that node share it. A writer on the node takes a
 * ticket before it writes a local chunk and holds it on the writing thread; the guard, which runs
 * on that same thread for a local primary, sees the held ticket and does not count the chunk twice.
 * Chunks from other nodes take their ticket in the guard, given back after the update. A ticket the
 * guard took for an update that then failed is given back by the thread's next update, and any
 * ticket older than {@link #STALE_NANOS} no longer counts.
 */
final class RoomLedger {
  /** The key of a node's ledger in its local map. */
  static final String KEY = "flare.store.roomLedger";

  /** Age after which a ticket no longer counts (a chunk's write takes milliseconds). */
  static final long STALE_NANOS = 30_000_000_000L;

  /** The ticket the current thread holds, if any: a writer's, or the guard's for its update. */
  private static final ThreadLocal<Ticket> HELD = new ThreadLocal<>();

  private final List<Ticket> open = new ArrayList<>();
  private long reserved;

  /** The ledger of {@code node}, made on first use. */
  static RoomLedger of(Ignite node) {
    return (RoomLedger)
        node.cluster().<String, Object>nodeLocalMap().computeIfAbsent(KEY, k -> new RoomLedger());
  }

  /** Bytes promised to chunks not yet stored. */
  synchronized long reserved() {
    purge();
    return reserved;
  }

  /**
   * Reserves {@code bytes} if the region's {@code free} bytes, less what is already promised, leave
   * {@code bytes + bytes / 8} (page overhead) plus {@code keep}; the ticket, or null if not.
   */
  synchronized Ticket tryReserve(long bytes, long free, long keep) {
    purge();
    if (!fits(bytes, free, keep)) {
      return null;
    }
    Ticket t = new Ticket(this, bytes, System.nanoTime());
    open.add(t);
    reserved += bytes;
    return t;
  }

  /** Tickets taken for other nodes' writers ({@link StoreRoom.BackupReserve}), by their id. */
  private final java.util.Map<java.util.UUID, Ticket> forOthers = new java.util.HashMap<>();

  /**
   * As {@link #tryReserve}, for a writer on another node that will write {@code bytes} of backups
   * here; kept under {@code id} until {@link #releaseForOther} (or until it is stale).
   */
  synchronized boolean tryReserveForOther(
      java.util.UUID id, long owner, long bytes, long free, long keep) {
    Ticket t = tryReserve(bytes, free, keep);
    if (t == null) {
      return false;
    }
    t.owner = owner;
    forOthers.put(id, t);
    return true;
  }

  /**
   * Gives back the room reserved for the values of {@code owner} (an id prefix): its node left, and
   * a writer that stopped cleanly sends no release for what it was still writing.
   */
  void releaseForOwner(long owner) {
    List<Ticket> gone = new ArrayList<>();
    synchronized (this) {
      forOthers
          .values()
          .removeIf(
              t -> {
                if (t.owner == owner) {
                  gone.add(t);
                  return true;
                }
                return false;
              });
    }
    gone.forEach(this::release);
  }

  /** Gives back the room reserved under {@code id}, if any. */
  void releaseForOther(java.util.UUID id) {
    Ticket t;
    synchronized (this) {
      t = forOthers.remove(id);
    }
    if (t != null) {
      release(t);
    }
  }

  /** Whether {@link #tryReserve} would succeed now. */
  synchronized boolean wouldFit(long bytes, long free, long keep) {
    purge();
    return fits(bytes, free, keep);
  }

  private boolean fits(long bytes, long free, long keep) {
    return lack(bytes, free, keep) <= 0;
  }

  /**
   * Bytes the region's {@code free} bytes, less what is already promised, lack to take {@code
   * bytes} (with an eighth more for page overhead) and keep {@code keep} free; 0 or less if they
   * fit.
   */
  synchronized long lack(long bytes, long free, long keep) {
    purge();
    return bytes + bytes / 8 + keep - (free - reserved);
  }

  private void purge() {
    if (open.isEmpty()) {
      return;
    }
    forOthers.values().removeIf(t -> System.nanoTime() - t.taken > STALE_NANOS);
    long now = System.nanoTime();
    for (int i = open.size() - 1; i >= 0; i--) {
      Ticket t = open.get(i);
      if (!t.kept && now - t.taken > STALE_NANOS) {
        open.remove(i);
        reserved -= t.bytes;
      }
    }
  }

  private synchronized void shrink(Ticket t, long bytes) {
    if (open.contains(t)) {
      long b = Math.min(bytes, t.bytes);
      t.bytes -= b;
      reserved -= b;
    }
  }

  private synchronized void release(Ticket t) {
    if (open.remove(t)) {
      reserved -= t.bytes;
    }
  }

  /** Whether the current thread holds a ticket of this ledger. */
  boolean heldHere() {
    Ticket t = HELD.get();
    return t != null && t.ledger == this;
  }

  /** Gives back the ticket the guard took on the current thread, if it holds one. */
  static void releaseGuardTicket() {
    Ticket t = HELD.get();
    if (t != null && t.byGuard) {
      t.close();
    }
  }

  /** Room a thread holds while it writes a chunk; closing it ends the hold. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /** Room promised to one chunk (or one whole value); closing it gives the room back (once). */
  static final class Ticket implements Held {
    private final RoomLedger ledger;
    private long bytes; // changed under the ledger's lock
    private final long taken;
    private long owner; // for another node's writer: the id prefix of the value's owner
    private boolean byGuard;
    private boolean kept; // never stale: given back by its holder only

    private Ticket(RoomLedger ledger, long bytes, long taken) {
      this.ledger = ledger;
      this.bytes = bytes;
      this.taken = taken;
    }

    /** Marks the current thread as holding this ticket until it is closed. */
    Ticket hold() {
      HELD.set(this);
      return this;
    }

    /**
     * Holds this ticket on the current thread for one chunk of the value it was taken for; closing
     * the result ends the hold but keeps the room promised (the ticket's owner closes it once the
     * whole value is stored).
     */
    Held lend() {
      HELD.set(this);
      return () -> {
        if (HELD.get() == this) {
          HELD.remove();
        }
      };
    }

    /** Gives back {@code bytes} of the room (that part of the value is stored: its pages count). */
    void giveBack(long bytes) {
      ledger.shrink(this, bytes);
    }

    /**
     * Keeps this ticket counted however long it stays open (a rebalance can take minutes); its
     * holder must close it.
     */
    void keep() {
      synchronized (ledger) {
        kept = true;
      }
    }

    /** As {@link #hold}, for the guard's ticket of an update from another node. */
    void holdForGuard() {
      byGuard = true;
      HELD.set(this);
    }

    @Override
    public void close() {
      if (HELD.get() == this) {
        HELD.remove();
      }
      ledger.release(this);
    }
  }
}
