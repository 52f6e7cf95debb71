package io.flare.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry: every benchmark, in the order a full run takes them. A new benchmark (actors, the
 * object store's GB/s, ...) is one class and one line here.
 */
public final class Benchmarks {
  private Benchmarks() {}

  /** All benchmarks: the embedded ones, then their client-node variants, then the scaling run. */
  public static List<Benchmark> all() {
    List<Benchmark> all = new ArrayList<>();
    for (Side side : Side.values()) {
      all.add(new SingleClientTasksSync(side));
      all.add(new SingleClientTasksAsync(side));
      all.add(new SingleClientTasksAndGetBatch(side));
      if (side == Side.EMBEDDED) {
        all.add(new SingleClientPutCalls());
        all.add(new SingleClientGetCalls());
        all.add(new SingleClientWait1kRefs());
        all.add(new SingleClientGetObjectContaining10kRefs());
      }
      all.add(new MultiClientTasksAsync(side));
      all.add(new SeedParallelSleeps(side));
      all.add(SeedAggregate.linear(side));
      all.add(SeedAggregate.tree(side));
    }
    all.add(new TasksScaling());
    return all;
  }
}
