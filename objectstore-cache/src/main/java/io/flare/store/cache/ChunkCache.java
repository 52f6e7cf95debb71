package io.flare.store.cache;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.SoftReference;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The chunks of stored values this node recently wrote or read, on the heap, while there is room
 * (least recently used go first): a value read again on this node — by the task scheduled next to
 * it, by several tasks, by the driver that put it — is decoded from here instead of being read
 * again from the off-heap store or fetched over the network. Stored values never change, and each
 * write of a value has its own {@link StoredLocation#version()} (a value re-created after a loss is
 * a new version), so a cached chunk is never stale; a freed value's chunks are dropped. Chunks
 * larger than a quarter of the cache are not kept.
 *
 * <p>Chunks are held through {@link SoftReference}s: the JVM clears them all before it would throw
 * an {@code OutOfMemoryError}, so the cache never costs the application memory it needs (large
 * chunks are humongous objects in G1, which a full collection does not move: held strongly they
 * could keep a large array from finding room). Thread-safe.
 */
final class ChunkCache {
  /** One chunk of one write of a value. */
  record Key(long hi, long lo, long version, int chunk) {
    static Key of(StoredLocation loc, int chunk) {
      return new Key(loc.id().hi(), loc.id().lo(), loc.version(), chunk);
    }
  }

  /** A cached chunk, softly held; remembers its key and length for when the JVM clears it. */
  private static final class Entry extends SoftReference<byte[]> {
    final Key key;
    final int length;

    Entry(Key key, byte[] chunk, ReferenceQueue<byte[]> queue) {
      super(chunk, queue);
      this.key = key;
      this.length = chunk.length;
    }
  }

  private final long maxBytes;
  private final LinkedHashMap<Key, Entry> chunks = new LinkedHashMap<>(64, 0.75f, true);
  private final ReferenceQueue<byte[]> cleared = new ReferenceQueue<>();
  private long bytes;
  private long hits;
  private long misses;

  ChunkCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  boolean enabled() {
    return maxBytes > 0;
  }

  long maxBytes() {
    return maxBytes;
  }

  synchronized byte[] get(Key key) {
    if (maxBytes <= 0) {
      return null;
    }
    Entry e = chunks.get(key);
    byte[] c = e == null ? null : e.get();
    if (c != null) {
      hits++;
      return c;
    }
    if (e != null) {
      drop(e);
    }
    return null; // a miss is counted by the reader that fetches the chunk (countMiss)
  }

  /** Counts a chunk this node fetched from the store because it was not here. */
  synchronized void countMiss() {
    misses++;
  }

  /** Counts a chunk a reader got without fetching it (another reader's fetch was under way). */
  synchronized void countHit() {
    hits++;
  }

  /** True if chunk {@code key} is cached; does not count as a use. */
  synchronized boolean contains(Key key) {
    Entry e = chunks.get(key);
    return e != null && e.get() != null;
  }

  synchronized void put(Key key, byte[] chunk) {
    if (chunk.length > maxBytes / 4) {
      return; // a chunk that large would push everything else out
    }
    purgeCleared();
    Entry old = chunks.put(key, new Entry(key, chunk, cleared));
    bytes += chunk.length - (old == null ? 0 : old.length);
    Iterator<Map.Entry<Key, Entry>> it = chunks.entrySet().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      bytes -= it.next().getValue().length;
      it.remove();
    }
  }

  /** Forgets the entries whose chunks the JVM cleared. */
  private void purgeCleared() {
    for (Object r = cleared.poll(); r != null; r = cleared.poll()) {
      drop((Entry) r);
    }
  }

  private void drop(Entry e) {
    if (chunks.get(e.key) == e) {
      chunks.remove(e.key);
      bytes -= e.length;
    }
  }

  synchronized void remove(StoredLocation loc) {
    for (int i = 0; i < loc.chunks(); i++) {
      Entry e = chunks.remove(Key.of(loc, i));
      if (e != null) {
        bytes -= e.length;
      }
    }
  }

  /** Drops the chunks of every value whose id has the high half {@code prefix}. */
  synchronized void removeOwnedBy(long prefix) {
    Iterator<Map.Entry<Key, Entry>> it = chunks.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, Entry> e = it.next();
      if (e.getKey().hi() == prefix) {
        bytes -= e.getValue().length;
        it.remove();
      }
    }
  }

  synchronized void clear() {
    chunks.clear();
    bytes = 0;
  }

  /** Bytes of the chunks held (those the JVM cleared and not yet noticed included). */
  synchronized long bytes() {
    purgeCleared();
    return bytes;
  }

  synchronized long hits() {
    return hits;
  }

  synchronized long misses() {
    return misses;
  }
}
