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

  /** Chunks in memory, visited in a shuffled order by four threads, as the store reads them. */
  private static final class InMemory implements ChunkedValue {
    private final List<byte[]> chunks;
    private final long size;
    private final int chunkSize;
    final java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

    InMemory(byte[] bytes, int chunkSize) {
      this(split(bytes, chunkSize), bytes.length, chunkSize);
    }

    InMemory(List<byte[]> chunks, long size, int chunkSize) {
      this.chunks = chunks.isEmpty() ? List.of(new byte[0]) : chunks;
      this.size = size;
      this.chunkSize = chunkSize;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public int chunks() {
      return chunks.size();
    }

    @Override
    public int chunkSize() {
      return chunkSize;
    }

    @Override
    public byte[] first() {
      return chunks.get(0);
    }

    @Override
    public java.util.Iterator<byte[]> rest() {
      return chunks.subList(1, chunks.size()).iterator();
    }

    @Override
    public void forEachRest(ChunkVisitor visitor) throws java.io.IOException {
      List<Integer> order = new ArrayList<>();
      for (int i = 1; i < chunks.size(); i++) {
        order.add(i);
      }
      java.util.Collections.shuffle(order, new java.util.Random(chunks.size()));
      var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int i : order) {
          done.add(
              pool.submit(
                  () -> {
                    threads.add(Thread.currentThread().getName());
                    visitor.accept(i, chunks.get(i));
                    return null;
                  }));
        }
        for (var f : done) {
          try {
            f.get();
          } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
              throw re;
            }
            throw new java.io.IOException(e.getCause());
          } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private Object parallelRoundTrip(Object value, int chunk) throws Exception {
    return serde.deserializeChunks(new InMemory(serde.serialize(value), chunk));
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 9, 13, 64, 1000, 4093, 1 << 20})
  void primitiveArrays_decodeInParallelAcrossChunkBoundaries(int chunk) throws Exception {
    java.util.Random rnd = new java.util.Random(chunk);
    long[] longs = rnd.longs(10_001).toArray();
    double[] doubles = rnd.doubles(3_333).toArray();
    int[] ints = rnd.ints(777).toArray();
    short[] shorts = new short[555];
    char[] chars = new char[444];
    float[] floats = new float[333];
    byte[] bytes = new byte[12_345];
    boolean[] bools = new boolean[99];
    for (int i = 0; i < shorts.length; i++) {
      shorts[i] = (short) rnd.nextInt();
    }
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) rnd.nextInt();
    }
    for (int i = 0; i < floats.length; i++) {
      floats[i] = rnd.nextFloat();
    }
    rnd.nextBytes(bytes);
    for (int i = 0; i < bools.length; i++) {
      bools[i] = rnd.nextBoolean();
    }
    assertThat((long[]) parallelRoundTrip(longs, chunk)).isEqualTo(longs);
    assertThat((double[]) parallelRoundTrip(doubles, chunk)).isEqualTo(doubles);
    assertThat((int[]) parallelRoundTrip(ints, chunk)).isEqualTo(ints);
    assertThat((short[]) parallelRoundTrip(shorts, chunk)).isEqualTo(shorts);
    assertThat((char[]) parallelRoundTrip(chars, chunk)).isEqualTo(chars);
    assertThat((float[]) parallelRoundTrip(floats, chunk)).isEqualTo(floats);
    assertThat((byte[]) parallelRoundTrip(bytes, chunk)).isEqualTo(bytes);
    assertThat((boolean[]) parallelRoundTrip(bools, chunk)).isEqualTo(bools);
    assertThat((long[]) parallelRoundTrip(new long[0], chunk)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void aLargeArray_isDecodedBySeveralThreads() throws Exception {
    long[] longs = new java.util.Random(1).longs(200_000).toArray();
    InMemory value = new InMemory(serde.serialize(longs), 1021);
    assertThat((long[]) serde.deserializeChunks(value)).isEqualTo(longs);
    assertThat(value.threads).hasSizeGreaterThan(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4, 7, 8, 100})
  void otherValues_readInOrderFromAChunkedValue(int chunk) throws Exception {
    Map<String, List<Integer>> value = Map.of("a", List.of(1, 2, 3), "b", List.of());
    assertThat(parallelRoundTrip(value, chunk)).isEqualTo(value);
    assertThat(parallelRoundTrip(null, chunk)).isNull();
    assertThat(parallelRoundTrip("text", chunk)).isEqualTo("text");
    assertThat((long[]) parallelRoundTrip(new long[] {1, 2, 3}, chunk)).containsExactly(1, 2, 3);
  }

  @org.junit.jupiter.api.Test
  void aChunkOfTheWrongLength_failsClearlyInParallel() {
    byte[] bytes = serde.serialize(new long[1000]);
    List<byte[]> chunks = new ArrayList<>(split(bytes, 512));
    chunks.set(3, Arrays.copyOf(chunks.get(3), 500)); // one chunk came back short
    assertThatThrownBy(() -> serde.deserializeChunks(new InMemory(chunks, bytes.length, 512)))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageContaining("long[]");
    List<byte[]> fewer = split(Arrays.copyOf(bytes, bytes.length - 100), 512);
    assertThatThrownBy(() -> serde.deserializeChunks(new InMemory(fewer, bytes.length - 100, 512)))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageContaining("long[]");
  }
}
