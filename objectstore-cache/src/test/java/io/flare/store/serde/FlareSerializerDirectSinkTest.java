package io.flare.store.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Primitive arrays encoded straight into a sink's buffers give the same bytes as a stream. */
class FlareSerializerDirectSinkTest {
  private final FlareSerializer serde = new FlareSerializer(getClass().getClassLoader());

  /** Buffers of {@code size} bytes, flushed to {@code out} when full; counts direct writes. */
  private static final class Buffers extends OutputStream implements DirectSink {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final byte[] buf;
    int pos;
    int windows;

    Buffers(int size) {
      buf = new byte[size];
    }

    private void flushIfFull() {
      if (pos == buf.length) {
        out.write(buf, 0, pos);
        pos = 0;
      }
    }

    @Override
    public void write(int b) {
      flushIfFull();
      buf[pos++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      for (int i = 0; i < len; i++) {
        write(b[off + i]);
      }
    }

    @Override
    public ByteBuffer window() {
      flushIfFull();
      windows++;
      return ByteBuffer.wrap(buf, pos, buf.length - pos).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void advance(int n) {
      pos += n;
    }

    byte[] bytes() {
      out.write(buf, 0, pos);
      pos = 0;
      return out.toByteArray();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 7, 8, 13, 4096})
  void everyPrimitiveArray_encodesTheSameBytesDirectly(int bufferSize) throws Exception {
    Random rnd = new Random(bufferSize);
    float[] floats = new float[501];
    short[] shorts = new short[502];
    char[] chars = new char[503];
    boolean[] bools = new boolean[504];
    for (int i = 0; i < 501; i++) {
      floats[i] = rnd.nextFloat();
      shorts[i] = (short) rnd.nextInt();
      chars[i] = (char) rnd.nextInt();
      bools[i] = rnd.nextBoolean();
    }
    Object[] values = {
      rnd.longs(1001).toArray(),
      rnd.doubles(999).toArray(),
      rnd.ints(777).toArray(),
      floats,
      shorts,
      chars,
      bools,
      new long[0]
    };
    for (Object value : values) {
      Buffers sink = new Buffers(bufferSize);
      serde.serialize(value, sink);
      assertThat(sink.bytes()).isEqualTo(serde.serialize(value));
      if (java.lang.reflect.Array.getLength(value) > 0) {
        assertThat(sink.windows).isGreaterThan(0); // encoded straight into the buffers
      }
    }
  }
}
