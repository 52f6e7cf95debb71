package io.flare.store.serde;

import static io.flare.store.serde.SerdeTesting.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlareSerializerPrimitiveArrayTest {
  private final FlareSerializer serializer =
      new FlareSerializer(FlareSerializerPrimitiveArrayTest.class.getClassLoader());

  record Samples(String name, long[] longs, double[] doubles, int[] ints) {}

  static final class Matrix {
    float[][] rows;
    short[] shorts;
    char[] chars;
    long[] none;
    long[] alias;
  }

  /** An array of each primitive type with {@code n} varied elements. */
  static Object filled(Class<?> arrayType, int n) {
    Random random = new Random(n);
    Object array = Array.newInstance(arrayType.getComponentType(), n);
    for (int i = 0; i < n; i++) {
      Object element =
          switch (arrayType.getComponentType().getName()) {
            case "byte" -> (byte) random.nextInt();
            case "long" -> random.nextLong();
            case "int" -> random.nextInt();
            case "double" ->
                i % 7 == 0
                    ? Double.longBitsToDouble(0x7ff8_0000_dead_beefL)
                    : random.nextGaussian();
            case "float" -> i % 5 == 0 ? Float.intBitsToFloat(0x7fc0_1234) : random.nextFloat();
            case "short" -> (short) random.nextInt();
            case "char" -> (char) random.nextInt();
            case "boolean" -> random.nextBoolean();
            default -> throw new AssertionError(arrayType);
          };
      Array.set(array, i, element);
    }
    return array;
  }

  static Stream<Arguments> arrayTypes() {
    return Stream.of(
        Arguments.of(named("byte[]", byte[].class), 1, FlareSerializer.TAG_BYTES),
        Arguments.of(named("long[]", long[].class), 8, FlareSerializer.TAG_LONGS),
        Arguments.of(named("int[]", int[].class), 4, FlareSerializer.TAG_INTS),
        Arguments.of(named("double[]", double[].class), 8, FlareSerializer.TAG_DOUBLES),
        Arguments.of(named("float[]", float[].class), 4, FlareSerializer.TAG_FLOATS),
        Arguments.of(named("short[]", short[].class), 2, FlareSerializer.TAG_SHORTS),
        Arguments.of(named("char[]", char[].class), 2, FlareSerializer.TAG_CHARS),
        Arguments.of(named("boolean[]", boolean[].class), 1, FlareSerializer.TAG_BOOLEANS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("arrayTypes")
  void usesRawFormat_whenTopLevelPrimitiveArray(Class<?> type, int width, byte tag) {
    for (int n : new int[] {0, 1, 3, 65_536 / width + 3, 200_001}) {
      Object array = filled(type, n);

      byte[] bytes = serializer.serialize(array);
      Object copy = roundTrip(serializer, array);

      assertThat(bytes).hasSize(5 + n * width);
      assertThat(bytes[0]).isEqualTo(tag);
      assertThat(ByteBuffer.wrap(bytes, 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(n);
      assertThat(copy.getClass()).isEqualTo(type);
      assertThat(Arrays.deepEquals(new Object[] {copy}, new Object[] {array}))
          .as("%s of %d elements", type.getSimpleName(), n)
          .isTrue();
    }
  }

  @Test
  void writesLittleEndianElements_whenLongArray() {
    byte[] bytes = serializer.serialize(new long[] {0x0102030405060708L, -1L});

    assertThat(Arrays.copyOfRange(bytes, 5, 13))
        .containsExactly(0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01);
    assertThat(ByteBuffer.wrap(bytes, 13, 8).order(ByteOrder.LITTLE_ENDIAN).getLong())
        .isEqualTo(-1L);
  }

  @Test
  void keepsNaNPayloads_whenFloatingPointArrays() {
    double[] doubles = {Double.longBitsToDouble(0x7ff0_0000_0000_0001L), -0.0};
    float[] floats = {Float.intBitsToFloat(0x7f80_0001), -0.0f};

    double[] doublesCopy = (double[]) serializer.deserialize(serializer.serialize(doubles));
    float[] floatsCopy = (float[]) serializer.deserialize(serializer.serialize(floats));

    assertThat(Double.doubleToRawLongBits(doublesCopy[0])).isEqualTo(0x7ff0_0000_0000_0001L);
    assertThat(Double.doubleToRawLongBits(doublesCopy[1])).isEqualTo(Long.MIN_VALUE);
    assertThat(Float.floatToRawIntBits(floatsCopy[0])).isEqualTo(0x7f80_0001);
  }

  @Test
  void roundTrips_when100MbLongArrayViaFastPath() {
    int n = 100 * 1024 * 1024 / Long.BYTES;
    long[] value = new long[n];
    Arrays.setAll(value, i -> i * 0x9E37_79B9_7F4A_7C15L);

    byte[] bytes = serializer.serialize(value);
    long[] copy = (long[]) serializer.deserialize(bytes);

    assertThat(bytes.length).isEqualTo(8L * n + 5);
    assertThat(copy.length).isEqualTo(n);
    assertThat(Arrays.mismatch(value, copy)).as("first differing index").isEqualTo(-1);
  }

  @Test
  void copiesInBulk_whenPrimitiveArraysNestedInGraph() {
    int n = 1_000_000;
    long[] longs = (long[]) filled(long[].class, n);
    double[] doubles = (double[]) filled(double[].class, n);
    Samples value = new Samples("s", longs, doubles, new int[] {1, 2, 3});

    byte[] bytes = serializer.serialize(value);
    Samples copy = (Samples) serializer.deserialize(bytes);

    assertThat(bytes.length).isBetween(16 * n, 16 * n + 200);
    assertThat(Arrays.equals(copy.longs(), longs)).isTrue();
    assertThat(Arrays.equals(copy.doubles(), doubles)).isTrue();
    assertThat(copy.ints()).containsExactly(1, 2, 3);
  }

  @Test
  void roundTrips_whenNestedArraysAreNullSharedOrMultiDimensional() {
    Matrix value = new Matrix();
    value.rows = new float[][] {{1f, 2f}, null, {}};
    value.shorts = (short[]) filled(short[].class, 70_000);
    value.chars = "flare ✓".toCharArray();
    value.none = null;
    value.alias = new long[] {7, 8};
    Object[] graph = {value, value.alias};

    Object[] copy = roundTrip(serializer, graph);
    Matrix matrix = (Matrix) copy[0];

    assertThat(matrix.rows[0]).containsExactly(1f, 2f);
    assertThat(matrix.rows[1]).isNull();
    assertThat(matrix.rows[2]).isEmpty();
    assertThat(matrix.shorts).isEqualTo(value.shorts);
    assertThat(new String(matrix.chars)).isEqualTo("flare ✓");
    assertThat(matrix.none).isNull();
    assertThat(copy[1]).isSameAs(matrix.alias);
  }

  @Test
  void readsRange_whenOffsetAndLengthGiven() {
    byte[] value = serializer.serialize(new int[] {4, 5, 6});
    byte[] padded = new byte[value.length + 10];
    System.arraycopy(value, 0, padded, 7, value.length);
    byte[] graph = serializer.serialize(List.of("x", 1));
    byte[] paddedGraph = new byte[graph.length + 4];
    System.arraycopy(graph, 0, paddedGraph, 2, graph.length);

    assertThat((int[]) serializer.deserialize(padded, 7, value.length)).containsExactly(4, 5, 6);
    assertThat(serializer.deserialize(paddedGraph, 2, graph.length)).isEqualTo(List.of("x", 1));
  }

  @Test
  void writesInBlocks_whenStreamingLargeArray() throws IOException {
    int n = 10 * 1024 * 1024 / Long.BYTES;
    long[] value = (long[]) filled(long[].class, n);
    RecordingOutputStream out = new RecordingOutputStream();

    serializer.serialize(value, out);
    long[] copy =
        (long[]) serializer.deserialize(new ByteArrayInputStream(out.bytes.toByteArray()));

    assertThat(out.bytes.size()).isEqualTo(8 * n + 5);
    assertThat(out.largestWrite).isEqualTo(64 * 1024);
    assertThat(out.flushes).isEqualTo(1);
    assertThat(Arrays.mismatch(value, copy)).isEqualTo(-1);
  }

  @Test
  void streamsGraphThroughBoundedBuffer_whenValueIsLarge() throws IOException {
    Samples value =
        new Samples(
            "big",
            (long[]) filled(long[].class, 500_000),
            new double[0],
            (int[]) filled(int[].class, 300_000));
    RecordingOutputStream out = new RecordingOutputStream();

    serializer.serialize(value, out);
    Samples copy =
        (Samples) serializer.deserialize(new ByteArrayInputStream(out.bytes.toByteArray()));

    assertThat(out.largestWrite).isLessThanOrEqualTo(64 * 1024);
    assertThat(out.flushes).isEqualTo(1);
    assertThat(copy.longs()).isEqualTo(value.longs());
    assertThat(copy.ints()).isEqualTo(value.ints());
  }

  @Test
  void readsExactlyOneValue_whenStreamHoldsSeveralRawArrays() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    serializer.serialize(new long[] {1, 2}, out);
    serializer.serialize(new byte[] {3}, out);
    serializer.serialize(null, out);
    serializer.serialize(new char[] {'z'}, out);
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());

    assertThat((long[]) serializer.deserialize(in)).containsExactly(1, 2);
    assertThat((byte[]) serializer.deserialize(in)).containsExactly(3);
    assertThat(serializer.deserialize(in)).isNull();
    assertThat((char[]) serializer.deserialize(in)).containsExactly('z');
    assertThat(in.read()).isEqualTo(-1);
  }

  /** Keeps what is written and records the largest single write. */
  static final class RecordingOutputStream extends OutputStream {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int largestWrite;
    int flushes;

    @Override
    public void write(int b) {
      bytes.write(b);
      largestWrite = Math.max(largestWrite, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
      largestWrite = Math.max(largestWrite, len);
    }

    @Override
    public void flush() {
      flushes++;
    }
  }
}
