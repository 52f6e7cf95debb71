package io.flare.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry: every benchmark, in the order a full run takes them. A new benchmark (actors, the
 * object store's GB/s, ...) is one class and one line here.
 */
public final class Benchmarks {
  private Benchmarks() {}

  /**
   * All benchmarks: the task and small-value ones embedded, then their client-node variants, the
   * scaling run, the object store's GB/s (embedded and client JVM), and the actor benchmarks.
   */
  public static List<Benchmark> all() {
    List<Benchmark> all = new ArrayList<>();
    for (Side side : List.of(Side.EMBEDDED, Side.CLIENT)) {
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
    // Tasks from a client node in another JVM to a server JVM (process boundary on both sides).
    all.add(new SingleClientTasksSync(Side.CLIENT_JVM));
    all.add(new SingleClientTasksAsync(Side.CLIENT_JVM));
    // The object store's throughput: embedded, then from a client JVM to a server JVM.
    for (Side side : List.of(Side.EMBEDDED, Side.CLIENT_JVM)) {
      all.add(SingleClientGigabytes.put(side));
      all.add(SingleClientGigabytes.putStored(side));
      all.add(SingleClientGigabytes.get(side));
      all.add(SingleClientGigabytes.getCold(side));
    }
    // Actors: creation and memory on one node, then calls on the two-server cluster.
    all.add(new ManyActors());
    all.add(new IdleActors());
    for (Side side : List.of(Side.EMBEDDED, Side.CLIENT)) {
      for (ActorCalls.Kind kind : ActorCalls.Kind.values()) {
        all.add(new ActorCalls(kind, side));
      }
    }
    return all;
  }
}
