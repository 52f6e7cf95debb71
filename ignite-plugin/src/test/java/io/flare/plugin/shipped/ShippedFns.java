package io.flare.plugin.shipped;

import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import java.util.ArrayList;
import java.util.List;

/** Code that exists only on the driver in {@code CodeShippingTest}: servers must fetch it. */
public final class ShippedFns {
  private ShippedFns() {}

  /** A value class the servers do not have. */
  public record Pair(int a, int b) {}

  /** An exception class the servers do not have. */
  public static final class ShippedFailure extends RuntimeException {
    public ShippedFailure(String m) {
      super(m);
    }
  }

  public static Pair swap(Pair p) {
    return new Pair(p.b(), p.a());
  }

  public static int square(int x) {
    return x * x;
  }

  /** Submits nested tasks of this (shipped) class from a worker. */
  public static int sumOfSquares(int n) {
    List<ObjectRef<Integer>> refs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      refs.add(Flare.task(ShippedFns::square, i).remote());
    }
    int s = 0;
    for (int v : Flare.get(refs)) {
      s += v;
    }
    return s;
  }

  public static int fail(String why) {
    throw new ShippedFailure(why);
  }

  /** An actor class the servers do not have. */
  public static final class Tally {
    private final List<Pair> seen = new ArrayList<>();

    public int add(Pair p) {
      seen.add(p);
      return seen.size();
    }

    public Pair last() {
      return seen.get(seen.size() - 1);
    }
  }
}
