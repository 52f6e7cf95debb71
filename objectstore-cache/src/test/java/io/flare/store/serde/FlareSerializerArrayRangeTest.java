package io.flare.store.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Any range of a primitive array's serialized form, encoded on its own, as chunks are. */
class FlareSerializerArrayRangeTest {
  private final FlareSerializer serde = new FlareSerializer(getClass().getClassLoader());

  private static byte[] byRanges(Object array, int chunk) {
    long size = FlareSerializer.arraySerializedSize(array);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long off = 0; off < size; off += chunk) {
      byte[] dst = new byte[(int) Math.min(chunk, size - off)];
      FlareSerializer.encodeArrayRange(array, off, dst);
      out.writeBytes(dst);
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 7, 8, 13, 4093, 1 << 20})
  void chunksEncodedApart_equalTheSerializedForm(int chunk) {
    Random rnd = new Random(chunk);
    float[] floats = new float[501];
    short[] shorts = new short[502];
    char[] chars = new char[503];
    byte[] bytes = new byte[1234];
    for (int i = 0; i < 501; i++) {
      floats[i] = rnd.nextFloat();
      shorts[i] = (short) rnd.nextInt();
      chars[i] = (char) rnd.nextInt();
    }
    rnd.nextBytes(bytes);
    Object[] values = {
      rnd.longs(1001).toArray(),
      rnd.doubles(999).toArray(),
      rnd.ints(777).toArray(),
      floats,
      shorts,
      chars,
      bytes,
      new long[0]
    };
    for (Object value : values) {
      assertThat(byRanges(value, chunk)).isEqualTo(serde.serialize(value));
      assertThat(FlareSerializer.arraySerializedSize(value))
          .isEqualTo(serde.serialize(value).length);
    }
  }

  @org.junit.jupiter.api.Test
  void notAnArray_orARangePastTheEnd_isRefused() {
    assertThat(FlareSerializer.arraySerializedSize("text")).isEqualTo(-1);
    assertThat(FlareSerializer.arraySerializedSize(null)).isEqualTo(-1);
    assertThatThrownBy(() -> FlareSerializer.encodeArrayRange("text", 0, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FlareSerializer.encodeArrayRange(new long[2], 20, new byte[2]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside 0..21");
  }
}
