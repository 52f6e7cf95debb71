package io.flare.store;

import java.io.Serializable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A 128-bit object id: 64 random bits chosen once per {@link Generator} (one per node start) and a
 * 64-bit counter, so ids never repeat across nodes or restarts. Immutable.
 */
public final class ObjectId implements Serializable, Comparable<ObjectId> {
  private static final long serialVersionUID = 1L;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final long hi;
  private final long lo;

  public ObjectId(long hi, long lo) {
    this.hi = hi;
    this.lo = lo;
  }

  public long hi() {
    return hi;
  }

  public long lo() {
    return lo;
  }

  /** Parses the 32-hex-digit form of {@link #toString()}. */
  public static ObjectId parse(String s) {
    if (s == null || s.length() != 32) {
      throw new IllegalArgumentException("not an object id: " + s);
    }
    return new ObjectId(
        Long.parseUnsignedLong(s.substring(0, 16), 16),
        Long.parseUnsignedLong(s.substring(16), 16));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectId other && other.hi == hi && other.lo == lo;
  }

  @Override
  public int hashCode() {
    long h = hi * 0x9E3779B97F4A7C15L ^ lo;
    return (int) (h ^ (h >>> 32));
  }

  @Override
  public int compareTo(ObjectId o) {
    int c = Long.compare(hi, o.hi);
    return c != 0 ? c : Long.compare(lo, o.lo);
  }

  @Override
  public String toString() {
    char[] c = new char[32];
    for (int i = 0; i < 16; i++) {
      c[i] = HEX[(int) (hi >>> (60 - 4 * i)) & 0xF];
      c[16 + i] = HEX[(int) (lo >>> (60 - 4 * i)) & 0xF];
    }
    return new String(c);
  }

  /** Makes unique ids for one node. Thread-safe. */
  public static final class Generator {
    private final long prefix;
    private final AtomicLong counter = new AtomicLong();

    public Generator() {
      this(ThreadLocalRandom.current().nextLong());
    }

    /** Ids whose high half is {@code prefix}: every id a node makes names that node. */
    public Generator(long prefix) {
      this.prefix = prefix;
    }

    public long prefix() {
      return prefix;
    }

    public ObjectId next() {
      return new ObjectId(prefix, counter.incrementAndGet());
    }
  }
}
