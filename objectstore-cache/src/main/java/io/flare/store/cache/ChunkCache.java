package io.flare.store.cache;

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
 * larger than a quarter of the cache are not kept. Thread-safe.
 */
final class ChunkCache {
  /** One chunk of one write of a value. */
  record Key(long hi, long lo, long version, int chunk) {
    static Key of(StoredLocation loc, int chunk) {
      return new Key(loc.id().hi(), loc.id().lo(), loc.version(), chunk);
    }
  }

  private final long maxBytes;
  private final LinkedHashMap<Key, byte[]> chunks = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;
  private long hits;
  private long misses;

  ChunkCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  boolean enabled() {
    return maxBytes > 0;
  }

  synchronized byte[] get(Key key) {
    if (maxBytes <= 0) {
      return null;
    }
    byte[] c = chunks.get(key);
    if (c != null) {
      hits++;
    } else {
      misses++;
    }
    return c;
  }

  /** True if chunk {@code key} is cached; does not count as a use. */
  synchronized boolean contains(Key key) {
    return chunks.containsKey(key);
  }

  synchronized void put(Key key, byte[] chunk) {
    if (chunk.length > maxBytes / 4) {
      return; // a chunk that large would push everything else out
    }
    byte[] old = chunks.put(key, chunk);
    bytes += chunk.length - (old == null ? 0 : old.length);
    Iterator<Map.Entry<Key, byte[]>> it = chunks.entrySet().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      bytes -= it.next().getValue().length;
      it.remove();
    }
  }

  synchronized void remove(StoredLocation loc) {
    for (int i = 0; i < loc.chunks(); i++) {
      byte[] c = chunks.remove(Key.of(loc, i));
      if (c != null) {
        bytes -= c.length;
      }
    }
  }

  /** Drops the chunks of every value whose id has the high half {@code prefix}. */
  synchronized void removeOwnedBy(long prefix) {
    Iterator<Map.Entry<Key, byte[]>> it = chunks.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, byte[]> e = it.next();
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

  synchronized long bytes() {
    return bytes;
  }

  synchronized long hits() {
    return hits;
  }

  synchronized long misses() {
    return misses;
  }
}
