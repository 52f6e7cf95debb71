package io.flare.bench;

import io.flare.api.Flare;

/** The actor of the actor benchmarks: a counter whose methods return at once. */
public final class BenchActor {
  private long calls;

  /** The smallest call (Ray's {@code small_value}). */
  public int small() {
    calls++;
    return 0;
  }

  /** A call with an argument (Ray's {@code small_value_arg}); returns it. */
  public int smallArg(int x) {
    calls++;
    return x;
  }

  /** The id of the node this actor lives on. */
  public String node() {
    return Flare.getRuntimeContext().getCurrentNodeId();
  }

  /** How many calls it served. */
  public long calls() {
    return calls;
  }
}
