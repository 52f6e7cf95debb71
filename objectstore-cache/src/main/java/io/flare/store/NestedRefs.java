package io.flare.store;

import java.util.List;

/**
 * The refs a value contains, seen while it is serialized on this thread, and the runtime that binds
 * the refs a value contains while it is deserialized. Flare's Kryo serializer for refs reports to
 * it, and so does {@link ObjectRefImpl}'s own Java serialization, so a ref inside a class that
 * serializes itself ({@code writeObject}, {@code Externalizable}) is counted like any other nested
 * ref and binds to the node that reads it.
 */
public final class NestedRefs {
  private NestedRefs() {}

  private static final ThreadLocal<List<ObjectRefImpl<?>>> WRITING = new ThreadLocal<>();
  private static final ThreadLocal<RefResolver> READING = new ThreadLocal<>();

  /** The list refs written on this thread go to, or null when nobody collects them. */
  public static List<ObjectRefImpl<?>> collector() {
    return WRITING.get();
  }

  /** Makes {@code list} (null: none) the collector on this thread; returns the previous one. */
  public static List<ObjectRefImpl<?>> collectInto(List<ObjectRefImpl<?>> list) {
    List<ObjectRefImpl<?>> prev = WRITING.get();
    if (list == null) {
      WRITING.remove();
    } else {
      WRITING.set(list);
    }
    return prev;
  }

  /** Reports a ref written into a value on this thread. */
  public static void written(ObjectRefImpl<?> ref) {
    List<ObjectRefImpl<?>> sink = WRITING.get();
    if (sink != null) {
      sink.add(ref);
    }
  }

  /** The runtime refs read on this thread bind to, or null. */
  static RefResolver reader() {
    return READING.get();
  }

  /** Makes {@code r} (null: none) the runtime refs read on this thread bind to; returns the old. */
  public static RefResolver readInto(RefResolver r) {
    RefResolver prev = READING.get();
    if (r == null) {
      READING.remove();
    } else {
      READING.set(r);
    }
    return prev;
  }
}
