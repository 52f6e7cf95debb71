package io.flare.store.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Chunks this node fetched from other nodes, kept while there is room (least recently used go
 * first), so a value read again on this node — by several tasks, or by a task and the driver — is
 * not fetched again while it is in use. Stored values never change, so a cached chunk is never
 * stale; a freed value's chunks are dropped. Thread-safe.
 */
final class ChunkCache {
  private final long maxBytes;
  private final LinkedHashMap<ChunkKey, byte[]> chunks = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;
  private long hits;
  private long misses;

  ChunkCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  synchronized byte[] get(ChunkKey key) {
    byte[] c = chunks.get(key);
    if (c != null) {
      hits++;
    } else {
      misses++;
    }
    return c;
  }

  synchronized void put(ChunkKey key, byte[] chunk) {
    if (chunk.length > maxBytes / 4) {
      return; // a chunk that large would push everything else out
    }
    byte[] old = chunks.put(key, chunk);
    bytes += chunk.length - (old == null ? 0 : old.length);
    Iterator<Map.Entry<ChunkKey, byte[]>> it = chunks.entrySet().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      bytes -= it.next().getValue().length;
      it.remove();
    }
  }

  synchronized void remove(StoredLocation loc) {
    for (int i = 0; i < loc.chunks(); i++) {
      byte[] c = chunks.remove(loc.key(i));
      if (c != null) {
        bytes -= c.length;
      }
    }
  }

  synchronized long hits() {
    return hits;
  }

  synchronized long misses() {
    return misses;
  }
}
