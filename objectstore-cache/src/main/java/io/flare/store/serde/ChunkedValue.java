package io.flare.store.serde;

import java.io.IOException;
import java.util.Iterator;

/**
 * A serialized value held as a sequence of chunks: every chunk but the last is {@link #chunkSize()}
 * bytes long. The reader of a stored value, as {@link
 * FlareSerializer#deserializeChunks(ChunkedValue)} consumes it: the first chunk, then the others
 * either in order ({@link #rest()}, for values that decode as a stream) or all at once in any order
 * ({@link #forEachRest}, for primitive arrays, whose chunks decode independently into their place
 * in the array).
 */
public interface ChunkedValue {
  /** Total size in bytes. */
  long size();

  /** Number of chunks, at least 1. */
  int chunks();

  /** Length of every chunk but the last. */
  int chunkSize();

  /** Chunk 0. */
  byte[] first() throws IOException;

  /** Chunks 1 to {@code chunks() - 1}, in order (implementations may fetch ahead). */
  Iterator<byte[]> rest();

  /**
   * Hands chunks 1 to {@code chunks() - 1} to {@code visitor}, each exactly once, in any order and
   * possibly on several threads at once; returns when every call has returned, so their effects are
   * visible to the caller. The first failure (of a fetch or of the visitor) stops the rest and is
   * thrown.
   */
  void forEachRest(ChunkVisitor visitor) throws IOException;

  /** Receives one chunk. */
  @FunctionalInterface
  interface ChunkVisitor {
    void accept(int index, byte[] chunk) throws IOException;
  }
}
