package io.flare.store.serde;

import java.nio.ByteBuffer;

/**
 * Bulk conversion between primitive arrays and little-endian bytes. Every kind but {@code
 * boolean[]} copies through an NIO view buffer, which the JDK turns into a memory copy; {@code
 * boolean[]} has no NIO view and is converted in a simple loop (one byte per element).
 *
 * <p>{@code encode} writes at the buffer's position and {@code decode} reads from it; neither moves
 * it for the view-buffer kinds, so callers position the buffer for each call.
 */
enum PrimitiveArrayCodec {
  BYTES(FlareSerializer.TAG_BYTES, byte[].class, 1) {
    @Override
    int length(Object array) {
      return ((byte[]) array).length;
    }

    @Override
    Object newArray(int length) {
      return new byte[length];
    }

    @Override
    void encode(Object array, int from, int count, ByteBuffer dst) {
      dst.duplicate().put((byte[]) array, from, count);
    }

    @Override
    void decode(ByteBuffer src, Object array, int from, int count) {
      src.duplicate().get((byte[]) array, from, count);
    }
  },
  LONGS(FlareSerializer.TAG_LONGS, long[].class, Long.BYTES) {
    @Override
    int length(Object array) {
      return ((long[]) array).length;
    }

    @Override
    Object newArray(int length) {
      return new long[length];
    }

    @Override
    void encode(Object array, int from, int count, ByteBuffer dst) {
      dst.asLongBuffer().put((long[]) array, from, count);
    }

    @Override
    void decode(ByteBuffer src, Object array, int from, int count) {
      src.asLongBuffer().get((long[]) array, from, count);
    }
  },
  INTS(FlareSerializer.TAG_INTS, int[].class, Integer.BYTES) {
    @Override
    int length(Object array) {
      return ((int[]) array).length;
    }

    @Override
    Object newArray(int length) {
      return new int[length];
    }

    @Override
    void encode(Object array, int from, int count, ByteBuffer dst) {
      dst.asIntBuffer().put((int[]) array, from, count);
    }

    @Override
    void decode(ByteBuffer src, Object array, int from, int count) {
      src.asIntBuffer().get((int[]) array, from, count);
    }
  },
  DOUBLES(FlareSerializer.TAG_DOUBLES, double[].class, Double.BYTES) {
    @Override
    int length(Object array) {
      return ((double[]) array).length;
    }

    @Override
    Object newArray(int length) {
      return new double[length];
    }

    @Override
    void encode(Object array, int from, int count, ByteBuffer dst) {
      dst.asDoubleBuffer().put((double[]) array, from, count);
    }

    @Override
    void decode(ByteBuffer src, Object array, int from, int count) {
      src.asDoubleBuffer().get((double[]) array, from, count);
    }
  },
  FLOATS(FlareSerializer.TAG_FLOATS, float[].class, Float.BYTES) {
    @Override
    int length(Object array) {
      return ((float[]) array).length;
    }

    @Override
    Object newArray(int length) {
      return new float[length];
    }

    @Override
    void encode(Object array, int from, int count, ByteBuffer dst) {
      dst.asFloatBuffer().put((float[]) array, from, count);
    }

    @Override
    void decode(ByteBuffer src, Object array, int from, int count) {
      src.asFloatBuffer().get((float[]) array, from, count);
    }
  },
  SHORTS(FlareSerializer.TAG_SHORTS, short[].class, Short.BYTES) {
    @Override
    int length(Object array) {
      return ((short[]) array).length;
    }

    @Override
    Object newArray(int length) {
      return new short[length];
    }

    @Override
    void encode(Object array, int from, int count, ByteBuffer dst) {
      dst.asShortBuffer().put((short[]) array, from, count);
    }

    @Override
    void decode(ByteBuffer src, Object array, int from, int count) {
      src.asShortBuffer().get((short[]) array, from, count);
    }
  },
  CHARS(FlareSerializer.TAG_CHARS, char[].class, Character.BYTES) {
    @Override
    int length(Object array) {
      return ((char[]) array).length;
    }

    @Override
    Object newArray(int length) {
      return new char[length];
    }

    @Override
    void encode(Object array, int from, int count, ByteBuffer dst) {
      dst.asCharBuffer().put((char[]) array, from, count);
    }

    @Override
    void decode(ByteBuffer src, Object array, int from, int count) {
      src.asCharBuffer().get((char[]) array, from, count);
    }
  },
  BOOLEANS(FlareSerializer.TAG_BOOLEANS, boolean[].class, 1) {
    @Override
    int length(Object array) {
      return ((boolean[]) array).length;
    }

    @Override
    Object newArray(int length) {
      return new boolean[length];
    }

    @Override
    void encode(Object array, int from, int count, ByteBuffer dst) {
      boolean[] values = (boolean[]) array;
      int base = dst.position();
      for (int i = 0; i < count; i++) {
        dst.put(base + i, values[from + i] ? (byte) 1 : (byte) 0);
      }
    }

    @Override
    void decode(ByteBuffer src, Object array, int from, int count) {
      boolean[] values = (boolean[]) array;
      int base = src.position();
      for (int i = 0; i < count; i++) {
        values[from + i] = src.get(base + i) != 0;
      }
    }
  };

  private static final PrimitiveArrayCodec[] ALL = values();
  private static final PrimitiveArrayCodec[] BY_TAG = new PrimitiveArrayCodec[16];

  static {
    for (PrimitiveArrayCodec codec : ALL) {
      BY_TAG[codec.tag] = codec;
    }
  }

  final byte tag;
  final Class<?> type;
  final int width;

  PrimitiveArrayCodec(byte tag, Class<?> type, int width) {
    this.tag = tag;
    this.type = type;
    this.width = width;
  }

  abstract int length(Object array);

  abstract Object newArray(int length);

  /** Writes {@code count} elements from {@code array[from]} at {@code dst}'s position. */
  abstract void encode(Object array, int from, int count, ByteBuffer dst);

  /** Reads {@code count} elements from {@code src}'s position into {@code array[from]}. */
  abstract void decode(ByteBuffer src, Object array, int from, int count);

  /** The codec for arrays of exactly this class, or null. */
  static PrimitiveArrayCodec forType(Class<?> type) {
    if (!type.isArray() || !type.getComponentType().isPrimitive()) {
      return null;
    }
    for (PrimitiveArrayCodec codec : ALL) {
      if (codec.type == type) {
        return codec;
      }
    }
    return null;
  }

  /** The codec for a format tag, or null. */
  static PrimitiveArrayCodec forTag(int tag) {
    return tag >= 0 && tag < BY_TAG.length ? BY_TAG[tag] : null;
  }
}
