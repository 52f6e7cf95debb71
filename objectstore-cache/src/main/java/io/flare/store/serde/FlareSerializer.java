package io.flare.store.serde;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import io.flare.api.exception.FlareSerializationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Turns Flare values (task arguments and results, {@code put} values, actor state) into bytes and
 * back. One instance per node, shared by all threads.
 *
 * <h2>Format</h2>
 *
 * <p>The first byte is a kind tag; what follows depends on it:
 *
 * <ul>
 *   <li>{@code 0}: {@code null}; nothing follows.
 *   <li>{@code 1}: any other value, as Kryo's {@code writeClassAndObject}.
 *   <li>{@code 2} to {@code 9}: a top-level {@code byte[]}, {@code long[]}, {@code int[]}, {@code
 *       double[]}, {@code float[]}, {@code short[]}, {@code char[]} or {@code boolean[]}: the
 *       element count as a 4-byte little-endian {@code int}, then the elements as little-endian
 *       bytes (a boolean is one byte, 0 or 1). These are copied in bulk, never through Kryo or
 *       element by element, so {@code n} longs take exactly {@code 8n + 5} bytes and element {@code
 *       i} sits at offset {@code 5 + 8i}.
 * </ul>
 *
 * <p>The {@code byte[]} and stream methods write and read the same bytes. The Kryo part is not a
 * stable exchange format: every node of a cluster must run the same Flare version with the same
 * customizer (registration ids are assigned in order).
 *
 * <h2>What round-trips</h2>
 *
 * <p>Values need not be {@code Serializable}. Primitives, strings, arrays, collections and maps,
 * records, enums, {@code EnumSet}/{@code EnumMap}, {@code java.time} types, {@code BigDecimal},
 * {@code BigInteger}, {@code UUID}, {@code Optional} and plain classes (final fields and no no-arg
 * constructor included; such objects are created without running a constructor) all come back
 * equal. Shared and cyclic references come back shared and cyclic. The JDK's immutable collections
 * ({@code List.of}, {@code Map.ofEntries}, {@code stream().toList()}, ...) come back immutable and
 * equal, and {@code Collections.unmodifiable*}/{@code synchronized*} wrappers come back as the same
 * kind of wrapper around a copy of their contents. Primitive arrays nested anywhere in a graph are
 * copied in bulk too. A {@code Serializable} lambda or method reference travels; another one does
 * not. Other classes are copied field by field by reflection, which for JDK classes not covered
 * here needs the {@code --add-opens} options that Ignite requires anyway.
 *
 * <p>Two limits: a cycle that runs back into a {@code List.of}-style immutable collection or a
 * record that is still being read cannot be re-created (such objects exist only after their
 * contents; this fails on read with a message saying so), and the contents of a {@code Collections}
 * wrapper are copied, so the copy no longer views the original's backing collection.
 *
 * <h2>Failures</h2>
 *
 * <p>Every failure is a {@link FlareSerializationException} whose message names the class at fault
 * and where it sits, such as {@code Cannot serialize value of class java.lang.Thread (field worker
 * of com.acme.Job): a thread runs in the JVM that started it}. Objects that only mean something in
 * the JVM that holds them (threads, class loaders, streams, readers and writers, sockets, channels,
 * processes) and lambdas that are not {@code Serializable} are refused instead of being copied into
 * garbage. A class that is missing on the reading node gives {@code Cannot deserialize: class
 * com.acme.Missing not found on this node}. Classes are loaded with the loader given here only,
 * without running their static initialisers.
 *
 * <h2>Allow-list</h2>
 *
 * <p>Off by default. When {@link #setAllowedClassPrefixes} is given prefixes, reading any class
 * whose name (an array's element class name) starts with none of them, nor with {@code java.lang.},
 * {@code java.util.}, {@code java.time.}, {@code java.math.} or {@code io.flare.}, fails before the
 * class is loaded. Classes that the customizer registers with Kryo are written by id, not by name,
 * and are trusted.
 *
 * <h2>Threads</h2>
 *
 * <p>All methods are thread-safe and block one another only for the pools' brief internal locking.
 * Kryo is not thread-safe, so each call borrows a configured Kryo instance and an output buffer
 * from thread-safe pools (Kryo's {@link Pool}, softly referenced so that the JVM can reclaim idle
 * ones) and gives them back; an instance whose call failed is dropped rather than reused, and an
 * output buffer that grew past 1 MiB is shrunk before it goes back.
 */
public final class FlareSerializer {
  static final byte TAG_NULL = 0;
  static final byte TAG_KRYO = 1;
  static final byte TAG_BYTES = 2;
  static final byte TAG_LONGS = 3;
  static final byte TAG_INTS = 4;
  static final byte TAG_DOUBLES = 5;
  static final byte TAG_FLOATS = 6;
  static final byte TAG_SHORTS = 7;
  static final byte TAG_CHARS = 8;
  static final byte TAG_BOOLEANS = 9;

  /** Bytes before the elements of a serialized primitive array: a tag and the length. */
  public static final int ARRAY_HEADER_BYTES = 1 + Integer.BYTES;

  private static final int MAX_BYTE_ARRAY = Integer.MAX_VALUE - 8;
  private static final int OUTPUT_BUFFER_BYTES = 64 * 1024;
  private static final int MAX_POOLED_OUTPUT_BYTES = 1024 * 1024;

  private final ClassLoader loader;
  private final Pool<FlareKryo> kryos;
  private final Pool<Output> outputs;
  private volatile AllowList allowList = AllowList.OFF;

  /**
   * A serializer that loads classes with {@code loader} and applies no customization.
   *
   * @param loader the class loader of this node's user classes (for Ignite, its configured class
   *     loader)
   */
  public FlareSerializer(ClassLoader loader) {
    this(loader, null);
  }

  /**
   * A serializer that loads classes with {@code loader} and lets {@code customizer} adjust each
   * Kryo instance it creates.
   *
   * @param loader the class loader of this node's user classes (for Ignite, its configured class
   *     loader)
   * @param customizer called on every new Kryo instance after Flare's own setup, so a class it
   *     registers ({@code kryo.register(SomeClass.class, serializer)}) uses its serializer whatever
   *     Flare set up (a default serializer it adds with {@code addDefaultSerializer} is consulted
   *     after Flare's own); it runs once here, to fail fast, and again whenever the pool needs a
   *     new instance; null for none. It must make the same registrations in the same order on every
   *     node.
   * @throws NullPointerException if {@code loader} is null
   * @throws RuntimeException whatever {@code customizer} throws
   */
  public FlareSerializer(ClassLoader loader, Consumer<Kryo> customizer) {
    this.loader = Objects.requireNonNull(loader, "loader");
    int capacity = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
    this.kryos =
        new Pool<>(true, true, capacity) {
          @Override
          protected FlareKryo create() {
            return FlareKryo.create(loader, () -> allowList, customizer);
          }
        };
    this.outputs =
        new Pool<>(true, true, capacity) {
          @Override
          protected Output create() {
            return new Output(OUTPUT_BUFFER_BYTES, -1);
          }
        };
    kryos.free(kryos.obtain());
  }

  /** The class loader that deserialization loads classes with. */
  public ClassLoader getClassLoader() {
    return loader;
  }

  /**
   * Restricts which classes {@link #deserialize} may load: a class is accepted when its name (for
   * an array, its element class's name) starts with one of {@code prefixes} or with {@code
   * java.lang.}, {@code java.util.}, {@code java.time.}, {@code java.math.} or {@code io.flare.};
   * arrays of primitives are always accepted. Any other class fails with a {@link
   * FlareSerializationException} naming it, before it is loaded. An empty list turns the check off
   * (the default). Takes effect for calls that start after it returns; thread-safe.
   *
   * @param prefixes class-name prefixes such as {@code "com.acme."}; copied
   * @throws NullPointerException if {@code prefixes} is null
   * @throws IllegalArgumentException if a prefix is null or blank
   */
  public void setAllowedClassPrefixes(List<String> prefixes) {
    this.allowList = AllowList.of(prefixes);
  }

  /** The prefixes set by {@link #setAllowedClassPrefixes}; empty when the check is off. */
  public List<String> getAllowedClassPrefixes() {
    return allowList.prefixes();
  }

  /**
   * Serializes {@code value} into a new array in the format described on this class.
   *
   * @param value any value, or null
   * @return the serialized form; a top-level primitive array of {@code n} elements of {@code w}
   *     bytes takes exactly {@code 5 + n * w} bytes
   * @throws FlareSerializationException if some object in {@code value} cannot be serialized (the
   *     message names its class and where it sits), or the result would not fit in a {@code byte[]}
   *     (use {@link #serialize(Object, OutputStream)} for values over 2 GiB)
   */
  public byte[] serialize(Object value) {
    if (value == null) {
      return new byte[] {TAG_NULL};
    }
    PrimitiveArrayCodec codec = PrimitiveArrayCodec.forType(value.getClass());
    if (codec != null) {
      return serializeArray(codec, value);
    }
    Output output = outputs.obtain();
    try {
      writeGraph(value, output);
      return output.toBytes();
    } finally {
      release(output);
    }
  }

  /**
   * Serializes {@code value} onto {@code out}, in the same format as {@link #serialize(Object)},
   * without holding the whole serialized form in memory: large primitive arrays go out in 64 KiB
   * writes, other values through a 64 KiB buffer. Blocks as long as {@code out} does. Flushes
   * {@code out} once at the end; does not close it.
   *
   * @throws FlareSerializationException if some object in {@code value} cannot be serialized; part
   *     of the value may already have been written to {@code out}
   * @throws IOException if {@code out} throws it (any exception {@code out} throws is passed on as
   *     it is)
   */
  public void serialize(Object value, OutputStream out) throws IOException {
    Objects.requireNonNull(out, "out");
    if (value == null) {
      out.write(TAG_NULL);
    } else {
      PrimitiveArrayCodec codec = PrimitiveArrayCodec.forType(value.getClass());
      if (codec != null) {
        writeArray(codec, value, out);
      } else {
        writeGraph(value, out);
      }
    }
    out.flush();
  }

  /**
   * Deserializes a value written by {@link #serialize(Object)}.
   *
   * @throws FlareSerializationException if a class is missing on this node or not allowed here, or
   *     the bytes are not a value in this format (truncated, corrupt); the message names the class
   *     when it is known
   */
  public Object deserialize(byte[] bytes) {
    return deserialize(bytes, 0, bytes.length);
  }

  /**
   * Deserializes a value written by {@link #serialize(Object)} from {@code length} bytes of {@code
   * bytes} starting at {@code offset}.
   *
   * @throws IndexOutOfBoundsException if the range is not within {@code bytes}
   * @throws FlareSerializationException as {@link #deserialize(byte[])}
   */
  public Object deserialize(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length == 0) {
      throw new FlareSerializationException("Cannot deserialize: no bytes given");
    }
    byte tag = bytes[offset];
    if (tag == TAG_NULL) {
      return null;
    }
    if (tag == TAG_KRYO) {
      return readGraph(new Input(bytes, offset + 1, length - 1));
    }
    PrimitiveArrayCodec codec = codecFor(tag);
    if (length < ARRAY_HEADER_BYTES) {
      throw truncated(codec, -1, length);
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    int count = buffer.getInt(offset + 1);
    if (count < 0 || ARRAY_HEADER_BYTES + (long) count * codec.width != length) {
      throw truncated(codec, count, length);
    }
    Object array = codec.newArray(count);
    buffer.position(offset + ARRAY_HEADER_BYTES);
    codec.decode(buffer, array, 0, count);
    return array;
  }

  /**
   * Deserializes a value written by {@link #serialize(Object, OutputStream)} (or {@link
   * #serialize(Object)}) from {@code in}, without first reading it all into memory. Blocks as long
   * as {@code in} does. A primitive array is read exactly; for other values Kryo reads ahead
   * through a buffer, so {@code in} should hold this one value and nothing after it. Does not close
   * {@code in}.
   *
   * @throws FlareSerializationException as {@link #deserialize(byte[])}, or if {@code in} ends
   *     before the value does
   * @throws IOException if {@code in} throws it (any exception {@code in} throws is passed on as it
   *     is)
   */
  public Object deserialize(InputStream in) throws IOException {
    Objects.requireNonNull(in, "in");
    int tag = in.read();
    if (tag < 0) {
      throw new FlareSerializationException("Cannot deserialize: the stream is empty");
    }
    if (tag == TAG_NULL) {
      return null;
    }
    if (tag == TAG_KRYO) {
      GuardedStreams.In guarded = new GuardedStreams.In(in);
      try {
        return readGraph(new Input(guarded, FlareKryo.BLOCK_SIZE));
      } catch (FlareSerializationException e) {
        if (guarded.failure != null) {
          GuardedStreams.rethrow(guarded.failure); // the stream failed, not the value
        }
        throw e;
      }
    }
    PrimitiveArrayCodec codec = codecFor((byte) tag);
    byte[] header = in.readNBytes(Integer.BYTES);
    if (header.length < Integer.BYTES) {
      throw truncated(codec, -1, 1 + header.length);
    }
    int count = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (count < 0) {
      throw truncated(codec, count, -1);
    }
    Object array = codec.newArray(count);
    if (codec == PrimitiveArrayCodec.BYTES) {
      int read = in.readNBytes((byte[]) array, 0, count);
      if (read < count) {
        throw truncated(codec, count, ARRAY_HEADER_BYTES + read);
      }
      return array;
    }
    FlareKryo kryo = kryos.obtain(); // only its block is used
    try {
      int perBlock = FlareKryo.BLOCK_SIZE / codec.width;
      for (int from = 0; from < count; from += perBlock) {
        int elements = Math.min(perBlock, count - from);
        int bytes = elements * codec.width;
        int read = in.readNBytes(kryo.block(), 0, bytes);
        if (read < bytes) {
          throw truncated(codec, count, ARRAY_HEADER_BYTES + (long) from * codec.width + read);
        }
        codec.decode(kryo.clearedBlock(), array, from, elements);
      }
    } finally {
      kryos.free(kryo);
    }
    return array;
  }

  /**
   * Deserializes a value stored as a sequence of chunks, the object store's form, reading its
   * chunks in parallel where the format allows. A primitive array's chunks are fetched and decoded
   * straight into their place in the new array by several threads at once ({@link
   * ChunkedValue#forEachRest}); the few elements that straddle two chunks are put together at the
   * end from their bytes, which each chunk's visitor leaves in a small scratch array. Anything else
   * is read as a stream over the chunks in order. Same errors as {@link #deserialize(InputStream)};
   * a chunk of the wrong length is reported as a truncated value.
   */
  public Object deserializeChunks(ChunkedValue value) throws IOException {
    Objects.requireNonNull(value, "value");
    byte[] first = value.first();
    PrimitiveArrayCodec codec =
        first.length < ARRAY_HEADER_BYTES ? null : PrimitiveArrayCodec.forTag(first[0]);
    if (codec == null
        || first[0] == TAG_NULL
        || first[0] == TAG_KRYO
        || value.chunks() == 1
        || value.chunkSize() < 8) { // (an element would span three chunks)
      return deserializeChunks(prepend(first, value.rest()));
    }
    int count = ByteBuffer.wrap(first, 1, Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).getInt();
    long end = ARRAY_HEADER_BYTES + (long) count * codec.width;
    if (count < 0 || value.size() < end) {
      throw truncated(codec, count, value.size());
    }
    Object array = codec.newArray(count);
    ParallelArrayDecode decode = new ParallelArrayDecode(codec, array, end, value);
    decode.accept(0, first);
    value.forEachRest(decode);
    decode.finishStraddlers();
    return array;
  }

  private static java.util.Iterator<byte[]> prepend(byte[] first, java.util.Iterator<byte[]> rest) {
    return new java.util.Iterator<>() {
      private boolean firstTaken;

      @Override
      public boolean hasNext() {
        return !firstTaken || rest.hasNext();
      }

      @Override
      public byte[] next() {
        if (!firstTaken) {
          firstTaken = true;
          return first;
        }
        return rest.next();
      }
    };
  }

  /**
   * Decodes each chunk of a stored primitive array into its place; thread-safe across chunks (each
   * writes its own elements and its own bytes of {@code scratch}).
   */
  private static final class ParallelArrayDecode implements ChunkedValue.ChunkVisitor {
    private final PrimitiveArrayCodec codec;
    private final Object array;
    private final long end;
    private final ChunkedValue value;
    private final int width;

    /**
     * For boundary {@code b} (the start of chunk {@code b}), the bytes of the element across it.
     */
    private final byte[] scratch;

    ParallelArrayDecode(PrimitiveArrayCodec codec, Object array, long end, ChunkedValue value) {
      this.codec = codec;
      this.array = array;
      this.end = end;
      this.value = value;
      this.width = codec.width;
      this.scratch = width == 1 ? new byte[0] : new byte[width * (value.chunks() + 1)];
    }

    @Override
    public void accept(int index, byte[] chunk) {
      long offset = (long) index * value.chunkSize();
      long expected =
          index < value.chunks() - 1
              ? value.chunkSize()
              : value.size() - (long) value.chunkSize() * (value.chunks() - 1);
      if (chunk.length != expected) {
        throw truncated(codec, Array.getLength(array), offset + chunk.length);
      }
      long lo = Math.max(offset, ARRAY_HEADER_BYTES);
      long hi = Math.min(offset + chunk.length, end);
      if (lo >= hi) {
        return;
      }
      long firstElem = (lo - ARRAY_HEADER_BYTES + width - 1) / width;
      long endElem = (hi - ARRAY_HEADER_BYTES) / width;
      long firstStart = ARRAY_HEADER_BYTES + firstElem * width;
      if (endElem > firstElem) {
        int n = (int) (endElem - firstElem);
        codec.decode(
            ByteBuffer.wrap(chunk, (int) (firstStart - offset), n * width)
                .order(ByteOrder.LITTLE_ENDIAN),
            array,
            (int) firstElem,
            n);
      }
      if (firstStart > lo) { // the tail of an element that began in the previous chunk
        int inElem = (int) (lo - (firstStart - width));
        System.arraycopy(
            chunk, (int) (lo - offset), scratch, index * width + inElem, (int) (firstStart - lo));
      }
      long lastEnd = ARRAY_HEADER_BYTES + Math.max(endElem, firstElem) * width;
      if (lastEnd < hi && endElem >= firstElem) { // the head of an element the next chunk ends
        System.arraycopy(
            chunk, (int) (lastEnd - offset), scratch, (index + 1) * width, (int) (hi - lastEnd));
      }
    }

    /** Decodes the elements that straddle two chunks, once every chunk has been visited. */
    void finishStraddlers() {
      if (width == 1) {
        return;
      }
      for (int b = 1; b < value.chunks(); b++) {
        long boundary = (long) b * value.chunkSize();
        if (boundary <= ARRAY_HEADER_BYTES || boundary >= end) {
          continue;
        }
        long rel = boundary - ARRAY_HEADER_BYTES;
        if (rel % width != 0) {
          codec.decode(
              ByteBuffer.wrap(scratch, b * width, width).order(ByteOrder.LITTLE_ENDIAN),
              array,
              (int) (rel / width),
              1);
        }
      }
    }
  }

  /**
   * Deserializes a value stored as a sequence of chunks (the object store's form). A primitive
   * array is decoded straight from each chunk into the new array — one copy, no intermediate block
   * — with the few bytes of an element that straddles two chunks carried over; anything else is
   * read as a stream over the chunks. Same errors as {@link #deserialize(InputStream)}.
   */
  public Object deserializeChunks(java.util.Iterator<byte[]> chunks) throws IOException {
    Objects.requireNonNull(chunks, "chunks");
    byte[] first = chunks.hasNext() ? chunks.next() : new byte[0];
    if (first.length < ARRAY_HEADER_BYTES
        || first[0] == TAG_NULL
        || first[0] == TAG_KRYO
        || PrimitiveArrayCodec.forTag(first[0]) == null) {
      return deserialize(new ChunkInput(first, chunks));
    }
    PrimitiveArrayCodec codec = PrimitiveArrayCodec.forTag(first[0]);
    int count = ByteBuffer.wrap(first, 1, Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (count < 0) {
      throw truncated(codec, count, -1);
    }
    Object array = codec.newArray(count);
    int width = codec.width;
    byte[] carry = new byte[8];
    int carried = 0;
    int index = 0;
    long consumed = ARRAY_HEADER_BYTES;
    byte[] chunk = first;
    int pos = ARRAY_HEADER_BYTES;
    while (index < count) {
      if (pos >= chunk.length) {
        if (!chunks.hasNext()) {
          throw truncated(codec, count, consumed);
        }
        chunk = chunks.next();
        pos = 0;
        continue;
      }
      if (codec == PrimitiveArrayCodec.BYTES) {
        int n = Math.min(count - index, chunk.length - pos);
        System.arraycopy(chunk, pos, (byte[]) array, index, n);
        index += n;
        pos += n;
        consumed += n;
        continue;
      }
      if (carried > 0) {
        int take = Math.min(width - carried, chunk.length - pos);
        System.arraycopy(chunk, pos, carry, carried, take);
        carried += take;
        pos += take;
        consumed += take;
        if (carried == width) {
          codec.decode(
              ByteBuffer.wrap(carry, 0, width).order(ByteOrder.LITTLE_ENDIAN), array, index, 1);
          index++;
          carried = 0;
        }
        continue;
      }
      int whole = Math.min(count - index, (chunk.length - pos) / width);
      if (whole > 0) {
        codec.decode(
            ByteBuffer.wrap(chunk, pos, whole * width).order(ByteOrder.LITTLE_ENDIAN),
            array,
            index,
            whole);
        index += whole;
        pos += whole * width;
        consumed += (long) whole * width;
      }
      if (index < count && pos < chunk.length) {
        int rest = chunk.length - pos; // part of an element: finish it from the next chunk
        System.arraycopy(chunk, pos, carry, 0, rest);
        carried = rest;
        pos = chunk.length;
        consumed += rest;
      }
    }
    return array;
  }

  /** An InputStream over a first chunk and the rest. */
  private static final class ChunkInput extends InputStream {
    private final java.util.Iterator<byte[]> rest;
    private byte[] cur;
    private int pos;

    ChunkInput(byte[] first, java.util.Iterator<byte[]> rest) {
      this.cur = first;
      this.rest = rest;
    }

    private boolean fill() {
      while (pos >= cur.length) {
        if (!rest.hasNext()) {
          return false;
        }
        cur = rest.next();
        pos = 0;
      }
      return true;
    }

    @Override
    public int read() {
      return fill() ? cur[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(len, cur.length - pos);
      System.arraycopy(cur, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  private static byte[] serializeArray(PrimitiveArrayCodec codec, Object array) {
    int count = codec.length(array);
    long size = ARRAY_HEADER_BYTES + (long) count * codec.width;
    if (size > MAX_BYTE_ARRAY) {
      throw new FlareSerializationException(
          "Cannot serialize value of class "
              + codec.type.getTypeName()
              + ": its "
              + count
              + " elements take "
              + size
              + " bytes, more than a byte[] holds; use serialize(Object, OutputStream)");
    }
    byte[] bytes = new byte[(int) size];
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(codec.tag).putInt(count);
    codec.encode(array, 0, count, buffer);
    return bytes;
  }

  private void writeArray(PrimitiveArrayCodec codec, Object array, OutputStream out)
      throws IOException {
    int count = codec.length(array);
    byte[] header = new byte[ARRAY_HEADER_BYTES];
    ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).put(codec.tag).putInt(count);
    out.write(header);
    if (codec == PrimitiveArrayCodec.BYTES) {
      out.write((byte[]) array);
      return;
    }
    FlareKryo kryo = kryos.obtain(); // only its block is used
    try {
      int perBlock = FlareKryo.BLOCK_SIZE / codec.width;
      for (int from = 0; from < count; from += perBlock) {
        int elements = Math.min(perBlock, count - from);
        codec.encode(array, from, elements, kryo.clearedBlock());
        out.write(kryo.block(), 0, elements * codec.width);
      }
    } finally {
      kryos.free(kryo);
    }
  }

  /**
   * The size of {@code value}'s serialized form if it is a primitive array (whose bytes {@link
   * #encodeArrayRange} produces at any offset), else -1.
   */
  public static long arraySerializedSize(Object value) {
    if (value == null || !value.getClass().isArray()) {
      return -1; // most task arguments: no codec lookup
    }
    PrimitiveArrayCodec codec = PrimitiveArrayCodec.forType(value.getClass());
    return codec == null ? -1 : ARRAY_HEADER_BYTES + (long) codec.length(value) * codec.width;
  }

  /**
   * Fills {@code dst} with the bytes of primitive array {@code array}'s serialized form (as {@link
   * #serialize(Object)} writes it) from {@code offset} on, so that chunks of a large array can be
   * encoded independently, by several threads. Elements that straddle the range's ends contribute
   * their part.
   *
   * @throws IllegalArgumentException if {@code array} is not a primitive array or the range goes
   *     past the end of its serialized form
   */
  public static void encodeArrayRange(Object array, long offset, byte[] dst) {
    PrimitiveArrayCodec codec =
        array == null ? null : PrimitiveArrayCodec.forType(array.getClass());
    if (codec == null) {
      throw new IllegalArgumentException("not a primitive array: " + array);
    }
    int count = codec.length(array);
    int width = codec.width;
    long size = ARRAY_HEADER_BYTES + (long) count * width;
    if (offset < 0 || offset + dst.length > size) {
      throw new IllegalArgumentException(
          "bytes " + offset + ".." + (offset + dst.length) + " are outside 0.." + size);
    }
    int pos = 0;
    if (offset < ARRAY_HEADER_BYTES) {
      byte[] header = new byte[ARRAY_HEADER_BYTES];
      ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).put(codec.tag).putInt(count);
      pos = (int) Math.min(ARRAY_HEADER_BYTES - offset, dst.length);
      System.arraycopy(header, (int) offset, dst, 0, pos);
    }
    if (pos == dst.length) {
      return;
    }
    long rel = offset + pos - ARRAY_HEADER_BYTES;
    int index = (int) (rel / width);
    int into = (int) (rel % width);
    if (into != 0) { // the tail of an element that began before the range
      byte[] one = encodeOne(codec, array, index);
      int n = Math.min(width - into, dst.length - pos);
      System.arraycopy(one, into, dst, pos, n);
      pos += n;
      index++;
    }
    int whole = Math.min((dst.length - pos) / width, count - index);
    if (whole > 0) {
      codec.encode(
          array,
          index,
          whole,
          ByteBuffer.wrap(dst, pos, whole * width).slice().order(ByteOrder.LITTLE_ENDIAN));
      pos += whole * width;
      index += whole;
    }
    if (pos < dst.length) { // the head of an element that ends after the range
      System.arraycopy(encodeOne(codec, array, index), 0, dst, pos, dst.length - pos);
    }
  }

  private static byte[] encodeOne(PrimitiveArrayCodec codec, Object array, int index) {
    ByteBuffer one = ByteBuffer.allocate(codec.width).order(ByteOrder.LITTLE_ENDIAN);
    codec.encode(array, index, 1, one);
    return one.array();
  }

  private void writeGraph(Object value, OutputStream out) throws IOException {
    GuardedStreams.Out guarded = new GuardedStreams.Out(out);
    Output output = outputs.obtain();
    try {
      output.setOutputStream(guarded);
      writeGraph(value, output);
    } catch (FlareSerializationException e) {
      if (guarded.failure != null) {
        GuardedStreams.rethrow(guarded.failure); // the stream failed, not the value
      }
      throw e;
    } finally {
      output.setOutputStream(null);
      release(output);
    }
  }

  /** Tag and Kryo graph onto {@code output}, flushed if it has a stream. */
  private void writeGraph(Object value, Output output) {
    FlareKryo kryo = kryos.obtain();
    boolean reusable = false;
    try {
      output.writeByte(TAG_KRYO);
      kryo.writeClassAndObject(output, value);
      output.flush();
      reusable = true;
    } catch (RuntimeException | StackOverflowError e) {
      throw serializeFailure(value, e);
    } finally {
      release(kryo, reusable);
    }
  }

  private Object readGraph(Input input) {
    FlareKryo kryo = kryos.obtain();
    boolean reusable = false;
    try {
      Object value = kryo.readClassAndObject(input);
      reusable = true;
      return value;
    } catch (RuntimeException | StackOverflowError e) {
      throw deserializeFailure(e);
    } finally {
      release(kryo, reusable);
    }
  }

  private void release(FlareKryo kryo, boolean reusable) {
    if (reusable) {
      kryos.free(kryo);
    }
  }

  private void release(Output output) {
    if (output.getBuffer().length > MAX_POOLED_OUTPUT_BYTES) {
      output.setBuffer(new byte[OUTPUT_BUFFER_BYTES], -1);
    }
    outputs.free(output);
  }

  private static FlareSerializationException serializeFailure(Object value, Throwable e) {
    if (e instanceof GraphFailure failure) {
      return failure.toSerializeException();
    }
    if (e instanceof FlareSerializationException failure) {
      return failure;
    }
    return new FlareSerializationException(
        "Cannot serialize value of class "
            + GraphFailure.displayName(value.getClass())
            + ": "
            + GraphFailure.describe(e),
        e);
  }

  private static FlareSerializationException deserializeFailure(Throwable e) {
    if (e instanceof GraphFailure failure) {
      return failure.toDeserializeException();
    }
    if (e instanceof FlareSerializationException failure) {
      return failure;
    }
    return new FlareSerializationException(
        "Cannot deserialize value: " + GraphFailure.describe(e), e);
  }

  private static PrimitiveArrayCodec codecFor(byte tag) {
    PrimitiveArrayCodec codec = PrimitiveArrayCodec.forTag(tag);
    if (codec == null) {
      throw new FlareSerializationException(
          "Cannot deserialize: unknown format tag "
              + tag
              + "; these bytes were not written by FlareSerializer");
    }
    return codec;
  }

  private static FlareSerializationException truncated(
      PrimitiveArrayCodec codec, int count, long available) {
    String expected =
        count < 0
            ? ""
            : " of "
                + count
                + " elements ("
                + (ARRAY_HEADER_BYTES + (long) count * codec.width)
                + " bytes)";
    String got = available < 0 ? "" : ", got " + available + " bytes";
    return new FlareSerializationException(
        "Cannot deserialize value of class "
            + codec.type.getTypeName()
            + ": expected a header"
            + expected
            + got
            + "; the data is truncated or corrupt");
  }
}
