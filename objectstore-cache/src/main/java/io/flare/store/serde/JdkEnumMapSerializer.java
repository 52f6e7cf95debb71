package io.flare.store.serde;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code EnumMap}: its key type, then (ordinal, value) pairs. Kryo's default map serializer cannot
 * create an {@code EnumMap} without its key type. The key type comes from the first key, or, for an
 * empty map, from the map's private {@code keyType} field when {@code java.util} is open to Flare
 * (it is on every JVM that runs Ignite); otherwise the empty map is written with Java serialization
 * (it holds no values, only its key type).
 */
final class JdkEnumMapSerializer extends Serializer<EnumMap<?, ?>> {
  private static final Field KEY_TYPE = keyTypeField();

  private final boolean reflective;

  /**
   * @param reflective whether an empty map's key type may be read by reflection (tests turn it off
   *     to exercise the fallback)
   */
  JdkEnumMapSerializer(boolean reflective) {
    this.reflective = reflective;
  }

  @Override
  public void write(Kryo kryo, Output output, EnumMap<?, ?> map) {
    Class<?> keyType = keyType(map);
    output.writeBoolean(keyType != null);
    if (keyType == null) {
      byte[] bytes = javaSerialize(map);
      output.writeVarInt(bytes.length, true);
      output.writeBytes(bytes);
      return;
    }
    kryo.writeClass(output, keyType);
    output.writeVarInt(map.size(), true);
    for (Map.Entry<? extends Enum<?>, ?> entry : map.entrySet()) {
      output.writeVarInt(entry.getKey().ordinal(), true);
      kryo.writeClassAndObject(output, entry.getValue());
    }
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public EnumMap<?, ?> read(Kryo kryo, Input input, Class<? extends EnumMap<?, ?>> type) {
    if (!input.readBoolean()) {
      byte[] bytes = input.readBytes(input.readVarInt(true));
      return javaDeserialize(bytes, (FlareKryo) kryo);
    }
    Class keyType = kryo.readClass(input).getType();
    Object[] constants = keyType.getEnumConstants();
    EnumMap map = new EnumMap(keyType);
    kryo.reference(map);
    int size = input.readVarInt(true);
    for (int i = 0; i < size; i++) {
      int ordinal = input.readVarInt(true);
      if (ordinal >= constants.length) {
        throw new KryoException(
            "enum " + keyType.getName() + " has no constant with ordinal " + ordinal + " here");
      }
      map.put((Enum) constants[ordinal], kryo.readClassAndObject(input));
    }
    return map;
  }

  private Class<?> keyType(EnumMap<?, ?> map) {
    if (!map.isEmpty()) {
      return map.keySet().iterator().next().getDeclaringClass();
    }
    if (reflective && KEY_TYPE != null) {
      try {
        return (Class<?>) KEY_TYPE.get(map);
      } catch (IllegalAccessException e) {
        return null;
      }
    }
    return null;
  }

  private static Field keyTypeField() {
    try {
      Field field = EnumMap.class.getDeclaredField("keyType");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // java.util is not open to us: use the fallback
    }
  }

  private static byte[] javaSerialize(EnumMap<?, ?> emptyMap) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(emptyMap);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static EnumMap<?, ?> javaDeserialize(byte[] bytes, FlareKryo kryo) {
    try (ObjectInputStream in =
        new CheckedObjectInputStream(new ByteArrayInputStream(bytes), kryo)) {
      Object map = in.readObject();
      if (!(map instanceof EnumMap<?, ?> enumMap) || !enumMap.isEmpty()) {
        throw new KryoException("expected an empty EnumMap, got " + map);
      }
      return enumMap;
    } catch (IOException | ClassNotFoundException e) {
      throw new KryoException("corrupt EnumMap: " + e, e);
    }
  }

  /** Loads classes as {@link FlareClassResolver} does: allow-list first, node's loader only. */
  private static final class CheckedObjectInputStream extends ObjectInputStream {
    private final FlareKryo kryo;

    CheckedObjectInputStream(InputStream in, FlareKryo kryo) throws IOException {
      super(in);
      this.kryo = kryo;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) {
      kryo.allowList().check(desc.getName());
      return FlareClassResolver.loadClass(desc.getName(), kryo.getClassLoader());
    }
  }
}
