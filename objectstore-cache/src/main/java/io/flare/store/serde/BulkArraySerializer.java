package io.flare.store.serde;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;

/**
 * A primitive array inside a Kryo graph: its length, then its elements copied in bulk through the
 * owning {@link FlareKryo}'s block (64 KiB at a time), instead of Kryo's element-by-element loop.
 * Accepts null (length written as 0, otherwise length + 1, as Kryo's own array serializers do).
 */
final class BulkArraySerializer extends Serializer<Object> {
  private final PrimitiveArrayCodec codec;

  BulkArraySerializer(PrimitiveArrayCodec codec) {
    super(true);
    this.codec = codec;
  }

  @Override
  public void write(Kryo kryo, Output output, Object array) {
    if (array == null) {
      output.writeVarInt(Kryo.NULL, true);
      return;
    }
    int length = codec.length(array);
    output.writeVarInt(length + 1, true);
    FlareKryo flare = (FlareKryo) kryo;
    int perBlock = FlareKryo.BLOCK_SIZE / codec.width;
    for (int from = 0; from < length; from += perBlock) {
      int count = Math.min(perBlock, length - from);
      codec.encode(array, from, count, flare.clearedBlock());
      output.writeBytes(flare.block(), 0, count * codec.width);
    }
  }

  @Override
  public Object read(Kryo kryo, Input input, Class<?> type) {
    int length = input.readVarInt(true) - 1;
    if (length < 0) {
      return null;
    }
    Object array = codec.newArray(length);
    FlareKryo flare = (FlareKryo) kryo;
    int perBlock = FlareKryo.BLOCK_SIZE / codec.width;
    for (int from = 0; from < length; from += perBlock) {
      int count = Math.min(perBlock, length - from);
      input.readBytes(flare.block(), 0, count * codec.width);
      ByteBuffer block = flare.clearedBlock();
      codec.decode(block, array, from, count);
    }
    return array;
  }

  @Override
  public Object copy(Kryo kryo, Object original) {
    int length = Array.getLength(original);
    Object copy = codec.newArray(length);
    System.arraycopy(original, 0, copy, 0, length);
    return copy;
  }
}
