package io.flare.store.serde;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.flare.api.exception.FlareSerializationException;

/**
 * Refuses a kind of object that only means something inside the JVM that holds it (a thread, an
 * open stream, socket or channel, a class loader). Copying its fields would produce an object that
 * looks valid on another node and is not, so it fails clearly instead; the enclosing {@link
 * FlareKryo} frame adds the object's class and where it sits in the graph.
 */
final class RefusingSerializer extends Serializer<Object> {
  private final String reason;

  RefusingSerializer(String reason) {
    this.reason = reason;
  }

  @Override
  public void write(Kryo kryo, Output output, Object object) {
    throw new FlareSerializationException(reason);
  }

  @Override
  public Object read(Kryo kryo, Input input, Class<?> type) {
    throw new FlareSerializationException(
        "Cannot deserialize: class " + type.getName() + " is never serialized: " + reason);
  }
}
