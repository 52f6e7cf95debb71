package io.flare.store.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.flare.store.ObjectId;
import org.junit.jupiter.api.Test;

/** The node's chunk cache: bounded by bytes, least recently used first, versions kept apart. */
class ChunkCacheTest {
  private static StoredLocation loc(long lo, int chunks, long version) {
    return new StoredLocation(new ObjectId(7, lo), chunks * 100L, chunks, 100, 0, false, version);
  }

  @Test
  void keepsWithinItsBytes_droppingTheLeastRecentlyUsed() {
    ChunkCache cache = new ChunkCache(1000);
    StoredLocation a = loc(1, 4, 1);
    StoredLocation b = loc(2, 4, 1);
    for (int i = 0; i < 4; i++) {
      cache.put(ChunkCache.Key.of(a, i), new byte[200]);
    }
    assertThat(cache.get(ChunkCache.Key.of(a, 0))).hasSize(200); // a0 is now the most recent
    for (int i = 0; i < 4; i++) {
      cache.put(ChunkCache.Key.of(b, i), new byte[200]);
    }
    assertThat(cache.bytes()).isLessThanOrEqualTo(1000);
    assertThat(cache.contains(ChunkCache.Key.of(a, 1))).isFalse();
    assertThat(cache.contains(ChunkCache.Key.of(b, 3))).isTrue();
    assertThat(cache.hits()).isEqualTo(1);
  }

  @Test
  void anotherVersionOfAValue_isAnotherEntry() {
    ChunkCache cache = new ChunkCache(1 << 20);
    StoredLocation first = loc(1, 1, 11);
    StoredLocation again = loc(1, 1, 12); // the same object written again (re-created)
    cache.put(ChunkCache.Key.of(first, 0), new byte[] {1});
    assertThat(cache.get(ChunkCache.Key.of(again, 0))).isNull();
    assertThat(cache.get(ChunkCache.Key.of(first, 0))).containsExactly(1);
  }

  @Test
  void removedValues_andThoseOfAnOwner_areDropped() {
    ChunkCache cache = new ChunkCache(1 << 20);
    StoredLocation a = loc(1, 2, 1);
    StoredLocation other = new StoredLocation(new ObjectId(8, 1), 100, 1, 100, 0, true, 1);
    cache.put(ChunkCache.Key.of(a, 0), new byte[10]);
    cache.put(ChunkCache.Key.of(a, 1), new byte[10]);
    cache.put(ChunkCache.Key.of(other, 0), new byte[10]);
    cache.remove(a);
    assertThat(cache.bytes()).isEqualTo(10);
    cache.removeOwnedBy(8);
    assertThat(cache.bytes()).isZero();
    assertThat(cache.contains(ChunkCache.Key.of(other, 0))).isFalse();
  }

  @Test
  void aChunkOverAQuarterOfTheCache_isNotKept_andAnEmptyCacheKeepsNothing() {
    ChunkCache cache = new ChunkCache(1000);
    cache.put(ChunkCache.Key.of(loc(1, 1, 1), 0), new byte[251]);
    assertThat(cache.bytes()).isZero();
    ChunkCache off = new ChunkCache(0);
    assertThat(off.enabled()).isFalse();
    off.put(ChunkCache.Key.of(loc(1, 1, 1), 0), new byte[1]);
    assertThat(off.get(ChunkCache.Key.of(loc(1, 1, 1), 0))).isNull();
  }
}
