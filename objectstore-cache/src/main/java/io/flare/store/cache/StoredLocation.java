package io.flare.store.cache;

import io.flare.store.ObjectId;

/**
 * Where a stored value lives: its id, total size, number of chunks, the length of every chunk but
 * the last (the writer's chunk size), the affinity value of its keys (its partition), which cache
 * (results or puts) holds it, and the version of this write (random; a value written again, as when
 * a lost result is re-created, has another, so chunks cached on the heap never mix writes).
 */
public record StoredLocation(
    ObjectId id, long size, int chunks, int chunkSize, int affinity, boolean put, long version) {
  public ChunkKey key(int chunk) {
    return new ChunkKey(id.hi(), id.lo(), chunk, affinity);
  }
}
