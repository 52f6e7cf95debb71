package io.flare.store.serde;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;

/**
 * {@link LinkedHashMap} with its iteration order kind: a map in access order (an LRU map) stays
 * one. Kryo's map serializer would rebuild it in insertion order. Reads the JDK's private {@code
 * accessOrder} flag, which needs {@code java.base/java.util} open to unnamed modules (one of the
 * flags Ignite requires on Java 17); without it, maps travel in insertion order as before.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class LinkedHashMapSerializer extends MapSerializer<LinkedHashMap> {
  private static final Field ACCESS_ORDER = accessOrderField();

  /** The flag of the map being read, taken before its entries (nested maps read theirs later). */
  private boolean accessOrder;

  private static Field accessOrderField() {
    try {
      Field f = LinkedHashMap.class.getDeclaredField("accessOrder");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException notOpen) {
      return null;
    }
  }

  private static boolean accessOrdered(LinkedHashMap map) {
    try {
      return ACCESS_ORDER != null && ACCESS_ORDER.getBoolean(map);
    } catch (IllegalAccessException e) {
      return false;
    }
  }

  @Override
  public void write(Kryo kryo, Output output, LinkedHashMap map) {
    output.writeBoolean(accessOrdered(map));
    super.write(kryo, output, map);
  }

  @Override
  public LinkedHashMap read(Kryo kryo, Input input, Class<? extends LinkedHashMap> type) {
    accessOrder = input.readBoolean();
    return super.read(kryo, input, type);
  }

  @Override
  protected LinkedHashMap create(
      Kryo kryo, Input input, Class<? extends LinkedHashMap> type, int size) {
    return new LinkedHashMap(Math.max(16, (int) (size / 0.75f) + 1), 0.75f, accessOrder);
  }
}
