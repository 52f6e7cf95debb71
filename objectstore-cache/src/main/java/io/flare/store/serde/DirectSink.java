package io.flare.store.serde;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An output stream's buffer opened to the serializer, so a large primitive array is encoded
 * straight into it (one copy) instead of through an intermediate block. Implemented by the object
 * store's chunk writer.
 */
public interface DirectSink {
  /**
   * A little-endian buffer over the free part of the current buffer, positioned at 0, with at least
   * one byte remaining (the current buffer is flushed first if it is full).
   */
  ByteBuffer window() throws IOException;

  /** Marks the first {@code n} bytes of the last {@link #window()} as written. */
  void advance(int n);
}
