package io.flare.store.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flare.api.exception.FlareSerializationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding values stored as chunks, with elements that straddle chunk boundaries. */
class FlareSerializerChunksTest {
  private final FlareSerializer serde = new FlareSerializer(getClass().getClassLoader());

  private static List<byte[]> split(byte[] bytes, int size) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += size) {
      out.add(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size)));
    }
    return out;
  }

  private Object roundTrip(Object value, int chunk) throws Exception {
    return serde.deserializeChunks(split(serde.serialize(value), chunk).iterator());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 5, 7, 8, 13, 64, 1000, 1 << 20})
  void primitiveArrays_decodeAcrossChunkBoundaries(int chunk) throws Exception {
    long[] longs = new long[10_001];
    double[] doubles = new double[3_333];
    int[] ints = new int[777];
    short[] shorts = new short[555];
    char[] chars = new char[444];
    float[] floats = new float[333];
    byte[] bytes = new byte[12_345];
    boolean[] bools = new boolean[99];
    for (int i = 0; i < longs.length; i++) {
      longs[i] = i * 1_000_003L - 7;
    }
    for (int i = 0; i < doubles.length; i++) {
      doubles[i] = i / 7.0;
    }
    for (int i = 0; i < ints.length; i++) {
      ints[i] = -i * 31;
    }
    for (int i = 0; i < shorts.length; i++) {
      shorts[i] = (short) (i * 3);
      chars[i % chars.length] = (char) ('a' + i % 26);
    }
    for (int i = 0; i < floats.length; i++) {
      floats[i] = i * 0.5f;
    }
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    for (int i = 0; i < bools.length; i++) {
      bools[i] = i % 3 == 0;
    }
    assertThat((long[]) roundTrip(longs, chunk)).isEqualTo(longs);
    assertThat((double[]) roundTrip(doubles, chunk)).isEqualTo(doubles);
    assertThat((int[]) roundTrip(ints, chunk)).isEqualTo(ints);
    assertThat((short[]) roundTrip(shorts, chunk)).isEqualTo(shorts);
    assertThat((char[]) roundTrip(chars, chunk)).isEqualTo(chars);
    assertThat((float[]) roundTrip(floats, chunk)).isEqualTo(floats);
    assertThat((byte[]) roundTrip(bytes, chunk)).isEqualTo(bytes);
    assertThat((boolean[]) roundTrip(bools, chunk)).isEqualTo(bools);
    assertThat((long[]) roundTrip(new long[0], chunk)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4, 5, 6, 100})
  void otherValues_readAsAStreamOverTheChunks(int chunk) throws Exception {
    Map<String, List<Integer>> value = Map.of("a", List.of(1, 2, 3), "b", List.of());
    assertThat(roundTrip(value, chunk)).isEqualTo(value);
    assertThat(roundTrip(null, chunk)).isNull();
    assertThat(roundTrip("text", chunk)).isEqualTo("text");
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 64})
  void aTruncatedArray_failsClearly(int chunk) {
    byte[] bytes = serde.serialize(new long[100]);
    List<byte[]> chunks = split(Arrays.copyOf(bytes, bytes.length - 9), chunk);
    assertThatThrownBy(() -> serde.deserializeChunks(chunks.iterator()))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageContaining("long[]");
  }
}
