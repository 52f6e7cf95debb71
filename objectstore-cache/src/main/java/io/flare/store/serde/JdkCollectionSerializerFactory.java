package io.flare.store.serde;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;

/**
 * Picks the serializer for the JDK's immutable collections and {@code Collections} wrappers by
 * class name, so that every such class (including ones a later JDK adds) is covered without listing
 * them, and sends views and anonymous subclasses as copies ({@link CopyingCollectionSerializer}).
 * Registered as a default serializer for {@code Collection} and {@code Map}; Kryo falls through to
 * its own defaults for everything else.
 */
@SuppressWarnings("rawtypes")
final class JdkCollectionSerializerFactory implements SerializerFactory<Serializer> {
  @Override
  public Serializer newSerializer(Kryo kryo, Class type) {
    if (isCopied(type)) {
      return CopyingCollectionSerializer.INSTANCE;
    }
    Serializer<?> serializer =
        type.getName().startsWith(JdkImmutableSerializers.IMMUTABLE_COLLECTIONS)
            ? JdkImmutableSerializers.forType(type)
            : JdkWrapperSerializer.forType(type);
    if (serializer == null) {
      throw new IllegalArgumentException("not a JDK immutable collection or wrapper: " + type);
    }
    return serializer;
  }

  @Override
  public boolean isSupported(Class type) {
    return isOwn(type) || isCopied(type);
  }

  /** A JDK immutable collection or {@code Collections} wrapper, with a serializer of its own. */
  private static boolean isOwn(Class<?> type) {
    String name = type.getName();
    if (name.startsWith(JdkImmutableSerializers.IMMUTABLE_COLLECTIONS)) {
      return JdkImmutableSerializers.forType(type) != null;
    }
    return JdkWrapperSerializer.forType(type) != null;
  }

  /** A view or anonymous subclass that travels as a copy ({@link CopyingCollectionSerializer}). */
  private static boolean isCopied(Class<?> type) {
    return !isOwn(type) && CopyingCollectionSerializer.wants(type);
  }
}
