package io.flare.store.serde;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collections and maps that cannot be rebuilt as themselves — views such as {@code
 * ArrayList.subList} or {@code HashMap.keySet()}, and anonymous subclasses ("double-brace"
 * initialization) — travel as a copy of their elements and come back as the plain collection of
 * their kind: a {@code List} as an {@link ArrayList}, a {@code SortedSet} as a {@link TreeSet} and
 * a {@code SortedMap} as a {@link TreeMap} (with their comparator), another {@code Set} as a {@link
 * LinkedHashSet}, another {@code Map} as a {@link LinkedHashMap}, anything else as an {@link
 * ArrayList}. Iteration order is kept. Kryo would otherwise create them without running a
 * constructor and fail, or rebuild a view without what it is a view of, when the value is read.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class CopyingCollectionSerializer extends Serializer<Object> {
  static final CopyingCollectionSerializer INSTANCE = new CopyingCollectionSerializer();

  /** Whether {@code type} is such a collection or map. */
  static boolean wants(Class<?> type) {
    if (!Collection.class.isAssignableFrom(type) && !Map.class.isAssignableFrom(type)) {
      return false;
    }
    if (type.isAnonymousClass()) {
      return true;
    }
    String name = type.getName();
    // a JDK view or inner class; Collections' and Arrays.asList have serializers of their own
    return name.startsWith("java.util.")
        && name.indexOf('$') > 0
        && !name.startsWith("java.util.Collections$")
        && !name.startsWith("java.util.Arrays$");
  }

  @Override
  public void write(Kryo kryo, Output output, Object value) {
    if (value instanceof Map<?, ?> map) {
      kryo.writeClassAndObject(output, map instanceof SortedMap<?, ?> s ? s.comparator() : null);
      output.writeVarInt(map.size(), true);
      for (Map.Entry<?, ?> e : map.entrySet()) {
        kryo.writeClassAndObject(output, e.getKey());
        kryo.writeClassAndObject(output, e.getValue());
      }
    } else {
      Collection<?> c = (Collection<?>) value;
      kryo.writeClassAndObject(output, c instanceof SortedSet<?> s ? s.comparator() : null);
      output.writeVarInt(c.size(), true);
      for (Object o : c) {
        kryo.writeClassAndObject(output, o);
      }
    }
  }

  @Override
  public Object read(Kryo kryo, Input input, Class<? extends Object> type) {
    Comparator comparator = (Comparator) kryo.readClassAndObject(input);
    int n = input.readVarInt(true);
    if (Map.class.isAssignableFrom(type)) {
      Map map =
          SortedMap.class.isAssignableFrom(type)
              ? new TreeMap(comparator)
              : new LinkedHashMap<>(Math.max(16, (int) (n / 0.75f) + 1));
      kryo.reference(map);
      for (int i = 0; i < n; i++) {
        Object k = kryo.readClassAndObject(input);
        map.put(k, kryo.readClassAndObject(input));
      }
      return map;
    }
    Collection c;
    if (SortedSet.class.isAssignableFrom(type)) {
      c = new TreeSet(comparator);
    } else if (Set.class.isAssignableFrom(type)) {
      c = new LinkedHashSet<>(Math.max(16, (int) (n / 0.75f) + 1));
    } else {
      c = new ArrayList<>(n);
    }
    kryo.reference(c);
    for (int i = 0; i < n; i++) {
      c.add(kryo.readClassAndObject(input));
    }
    return c;
  }
}
