package io.flare.store.serde;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The JDK's immutable collections ({@code List.of}, {@code Set.of}, {@code Map.of}, {@code
 * Map.ofEntries}, {@code List.copyOf}, {@code stream().toList()}, their sub-lists) and {@code
 * Map.entry}. They cannot be filled after creation, so each is written as its elements and re-built
 * by the matching factory once all elements are read.
 *
 * <p>Lists are read back with nulls allowed (as {@code stream().toList()} makes them), since a list
 * from {@code stream().toList()} may hold nulls where {@code List.of} may not: the elements, order,
 * equality and immutability are kept; only {@code contains(null)} on a former {@code List.of}
 * answers false instead of throwing. A set or map whose elements turn equal on this node (an {@code
 * equals} that depends on the JVM) comes back as an unmodifiable {@code LinkedHashSet}/{@code
 * LinkedHashMap} instead of failing.
 *
 * <p>Because the collection exists only after its elements, a cycle from an element back to the
 * collection itself cannot be re-created (the same limit as Java serialization's {@code
 * readResolve}); cycles through mutable collections or {@code Collections.unmodifiable*} wrappers
 * are fine.
 */
final class JdkImmutableSerializers {
  static final String IMMUTABLE_COLLECTIONS = "java.util.ImmutableCollections$";
  static final Class<?> KEY_VALUE_HOLDER = Map.entry("", "").getClass();

  private JdkImmutableSerializers() {}

  /** The serializer for a class whose name starts with {@link #IMMUTABLE_COLLECTIONS}, or null. */
  static Serializer<?> forType(Class<?> type) {
    if (List.class.isAssignableFrom(type)) {
      return new ListSerializer();
    }
    if (Set.class.isAssignableFrom(type)) {
      return new SetSerializer();
    }
    if (Map.class.isAssignableFrom(type)) {
      return new MapSerializer();
    }
    return null;
  }

  static final class ListSerializer extends Serializer<List<?>> {
    ListSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, List<?> list) {
      output.writeVarInt(list.size(), true);
      for (Object element : list) {
        kryo.writeClassAndObject(output, element);
      }
    }

    @Override
    public List<?> read(Kryo kryo, Input input, Class<? extends List<?>> type) {
      Object[] elements = readElements(kryo, input);
      return Arrays.stream(elements).toList();
    }
  }

  static final class SetSerializer extends Serializer<Set<?>> {
    SetSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, Set<?> set) {
      output.writeVarInt(set.size(), true);
      for (Object element : set) {
        kryo.writeClassAndObject(output, element);
      }
    }

    @Override
    public Set<?> read(Kryo kryo, Input input, Class<? extends Set<?>> type) {
      Object[] elements = readElements(kryo, input);
      try {
        return Set.of(elements);
      } catch (IllegalArgumentException duplicates) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(elements)));
      }
    }
  }

  static final class MapSerializer extends Serializer<Map<?, ?>> {
    MapSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, Map<?, ?> map) {
      output.writeVarInt(map.size(), true);
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        kryo.writeClassAndObject(output, entry.getKey());
        kryo.writeClassAndObject(output, entry.getValue());
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<?, ?> read(Kryo kryo, Input input, Class<? extends Map<?, ?>> type) {
      int size = input.readVarInt(true);
      Map.Entry<Object, Object>[] entries = new Map.Entry[size];
      for (int i = 0; i < size; i++) {
        Object key = kryo.readClassAndObject(input);
        Object value = kryo.readClassAndObject(input);
        entries[i] = Map.entry(key, value);
      }
      try {
        return Map.ofEntries(entries);
      } catch (IllegalArgumentException duplicates) {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> entry : entries) {
          map.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(map);
      }
    }
  }

  /**
   * {@code Map.entry(k, v)} and {@code AbstractMap.Simple(Immutable)Entry}: private fields in
   * {@code java.util}, so not left to reflection.
   */
  static final class EntrySerializer extends Serializer<Map.Entry<?, ?>> {
    private final BiFunction<Object, Object, Map.Entry<?, ?>> factory;

    EntrySerializer(BiFunction<Object, Object, Map.Entry<?, ?>> factory) {
      super(false, true);
      this.factory = factory;
    }

    @Override
    public void write(Kryo kryo, Output output, Map.Entry<?, ?> entry) {
      kryo.writeClassAndObject(output, entry.getKey());
      kryo.writeClassAndObject(output, entry.getValue());
    }

    @Override
    public Map.Entry<?, ?> read(Kryo kryo, Input input, Class<? extends Map.Entry<?, ?>> type) {
      Object key = kryo.readClassAndObject(input);
      Object value = kryo.readClassAndObject(input);
      return factory.apply(key, value);
    }
  }

  private static Object[] readElements(Kryo kryo, Input input) {
    int size = input.readVarInt(true);
    Object[] elements = new Object[size];
    for (int i = 0; i < size; i++) {
      elements[i] = kryo.readClassAndObject(input);
    }
    return elements;
  }
}
