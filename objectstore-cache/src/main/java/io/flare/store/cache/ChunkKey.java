package io.flare.store.cache;

import org.apache.ignite.cache.affinity.AffinityKeyMapped;

/**
 * The cache key of one chunk of a stored value. {@code affinity} picks the partition (and so the
 * primary node): the store chooses it so the primary copy sits on the node that wrote the value.
 */
public final class ChunkKey {
  private final long hi;
  private final long lo;
  private final int chunk;

  @AffinityKeyMapped private final int affinity;

  public ChunkKey(long hi, long lo, int chunk, int affinity) {
    this.hi = hi;
    this.lo = lo;
    this.chunk = chunk;
    this.affinity = affinity;
  }

  /** The high half of the object id: the owner's id prefix. */
  public long hi() {
    return hi;
  }

  public int chunk() {
    return chunk;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChunkKey k
        && k.hi == hi
        && k.lo == lo
        && k.chunk == chunk
        && k.affinity == affinity;
  }

  @Override
  public int hashCode() {
    long h = hi * 31 + lo;
    return (int) (h ^ (h >>> 32)) * 31 + chunk;
  }

  @Override
  public String toString() {
    return "ChunkKey{" + Long.toHexString(hi) + Long.toHexString(lo) + "#" + chunk + "}";
  }
}
