package io.flare.store.cache;

import io.flare.store.ObjectId;

/**
 * Where a stored value lives: its id, total size, number of chunks, the affinity value of its keys
 * (its partition), and which cache (results or puts) holds it.
 */
public record StoredLocation(ObjectId id, long size, int chunks, int affinity, boolean put) {
  public ChunkKey key(int chunk) {
    return new ChunkKey(id.hi(), id.lo(), chunk, affinity);
  }
}
