package io.flare.store.serde;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.RandomAccess;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The wrappers of {@code java.util.Collections}: {@code unmodifiable*} and {@code synchronized*}
 * collections, lists, sets, sorted and navigable sets, maps, sorted and navigable maps. Kryo's
 * default would create an empty wrapper around nothing and fail on {@code add}. This writes the
 * wrapper's contents (and comparator) and reads them back into a fresh {@code ArrayList}, {@code
 * LinkedList}, {@code LinkedHashSet}, {@code TreeSet}, {@code LinkedHashMap} or {@code TreeMap}
 * wrapped the same way. The copy is a snapshot: it no longer reflects the collection the original
 * was a view of. The wrapper is registered before its contents are read, so cycles through it work.
 */
final class JdkWrapperSerializer extends Serializer<Object> {
  static final String UNMODIFIABLE = "java.util.Collections$Unmodifiable";
  static final String SYNCHRONIZED = "java.util.Collections$Synchronized";

  private enum Shape {
    COLLECTION,
    LIST,
    RANDOM_ACCESS_LIST,
    SET,
    SORTED_SET,
    NAVIGABLE_SET,
    MAP,
    SORTED_MAP,
    NAVIGABLE_MAP;

    boolean isMap() {
      return this == MAP || this == SORTED_MAP || this == NAVIGABLE_MAP;
    }

    boolean isSorted() {
      return this == SORTED_SET
          || this == NAVIGABLE_SET
          || this == SORTED_MAP
          || this == NAVIGABLE_MAP;
    }

    static Shape of(Class<?> type) {
      if (Map.class.isAssignableFrom(type)) {
        if (NavigableMap.class.isAssignableFrom(type)) {
          return NAVIGABLE_MAP;
        }
        return SortedMap.class.isAssignableFrom(type) ? SORTED_MAP : MAP;
      }
      if (List.class.isAssignableFrom(type)) {
        return RandomAccess.class.isAssignableFrom(type) ? RANDOM_ACCESS_LIST : LIST;
      }
      if (Set.class.isAssignableFrom(type)) {
        if (NavigableSet.class.isAssignableFrom(type)) {
          return NAVIGABLE_SET;
        }
        return SortedSet.class.isAssignableFrom(type) ? SORTED_SET : SET;
      }
      return COLLECTION;
    }
  }

  private final Shape shape;
  private final boolean synchronize;

  private JdkWrapperSerializer(Shape shape, boolean synchronize) {
    this.shape = shape;
    this.synchronize = synchronize;
  }

  /** The serializer for a wrapper class, or null if {@code type} is not one. */
  static JdkWrapperSerializer forType(Class<?> type) {
    String name = type.getName();
    boolean unmodifiable = name.startsWith(UNMODIFIABLE);
    if (!unmodifiable && !name.startsWith(SYNCHRONIZED)) {
      return null;
    }
    if (!Collection.class.isAssignableFrom(type) && !Map.class.isAssignableFrom(type)) {
      return null;
    }
    return new JdkWrapperSerializer(Shape.of(type), !unmodifiable);
  }

  @Override
  public void write(Kryo kryo, Output output, Object wrapper) {
    if (shape.isSorted()) {
      Comparator<?> comparator =
          shape.isMap()
              ? ((SortedMap<?, ?>) wrapper).comparator()
              : ((SortedSet<?>) wrapper).comparator();
      kryo.writeClassAndObject(output, comparator);
    }
    if (shape.isMap()) {
      // entrySet().toArray() holds a synchronized wrapper's lock for the whole copy.
      Object[] entries = ((Map<?, ?>) wrapper).entrySet().toArray();
      output.writeVarInt(entries.length, true);
      for (Object item : entries) {
        Map.Entry<?, ?> entry = (Map.Entry<?, ?>) item;
        kryo.writeClassAndObject(output, entry.getKey());
        kryo.writeClassAndObject(output, entry.getValue());
      }
    } else {
      Object[] elements = ((Collection<?>) wrapper).toArray();
      output.writeVarInt(elements.length, true);
      for (Object element : elements) {
        kryo.writeClassAndObject(output, element);
      }
    }
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Object read(Kryo kryo, Input input, Class<?> type) {
    Comparator comparator = shape.isSorted() ? (Comparator) kryo.readClassAndObject(input) : null;
    int size = input.readVarInt(true);
    if (shape.isMap()) {
      Map backing = shape == Shape.MAP ? new LinkedHashMap<>() : new TreeMap<>(comparator);
      Map wrapper = wrap(backing);
      kryo.reference(wrapper);
      for (int i = 0; i < size; i++) {
        Object key = kryo.readClassAndObject(input);
        backing.put(key, kryo.readClassAndObject(input));
      }
      return wrapper;
    }
    Collection backing =
        switch (shape) {
          case LIST -> new LinkedList<>();
          case SET -> new LinkedHashSet<>();
          case SORTED_SET, NAVIGABLE_SET -> new TreeSet<>(comparator);
          default -> new ArrayList<>(size);
        };
    Collection wrapper = wrap(backing);
    kryo.reference(wrapper);
    for (int i = 0; i < size; i++) {
      backing.add(kryo.readClassAndObject(input));
    }
    return wrapper;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Map wrap(Map map) {
    return switch (shape) {
      case NAVIGABLE_MAP ->
          synchronize
              ? Collections.synchronizedNavigableMap((NavigableMap) map)
              : Collections.unmodifiableNavigableMap((NavigableMap) map);
      case SORTED_MAP ->
          synchronize
              ? Collections.synchronizedSortedMap((SortedMap) map)
              : Collections.unmodifiableSortedMap((SortedMap) map);
      default -> synchronize ? Collections.synchronizedMap(map) : Collections.unmodifiableMap(map);
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Collection wrap(Collection collection) {
    return switch (shape) {
      case LIST, RANDOM_ACCESS_LIST ->
          synchronize
              ? Collections.synchronizedList((List) collection)
              : Collections.unmodifiableList((List) collection);
      case SET ->
          synchronize
              ? Collections.synchronizedSet((Set) collection)
              : Collections.unmodifiableSet((Set) collection);
      case SORTED_SET ->
          synchronize
              ? Collections.synchronizedSortedSet((SortedSet) collection)
              : Collections.unmodifiableSortedSet((SortedSet) collection);
      case NAVIGABLE_SET ->
          synchronize
              ? Collections.synchronizedNavigableSet((NavigableSet) collection)
              : Collections.unmodifiableNavigableSet((NavigableSet) collection);
      default ->
          synchronize
              ? Collections.synchronizedCollection(collection)
              : Collections.unmodifiableCollection(collection);
    };
  }
}
