package io.flare.bench;

import io.flare.api.ObjectRef;
import io.flare.plugin.FlareRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code seed_aggregate_linear_8} and {@code seed_aggregate_tree_8}: seconds the Ray tutorial's
 * aggregation takes to sum the eight values 0..7 with a slow {@code add}, as a chain of seven adds
 * (each takes the previous sum's ref) or as a tree of three levels (4, 2, 1 adds; the adds of a
 * level run in parallel). The add sleeps {@code bench.sleepMs} (default 100 ms, a tenth of the
 * tutorial's second, to keep the run short; {@code -Dbench.sleepMs=1000} gives the tutorial's
 * figures: 7 s and 4 s on two cores). Peer: the same DAG with raw compute: the chain as seven
 * {@code compute().call}s, each waiting for the one before; the tree as a level of {@code
 * callAsync}s, waited for, then the next. The {@code _client} variants drive both from a client
 * node.
 *
 * <p>Run: {@code benchmarks/run seed_aggregate_linear_8 seed_aggregate_tree_8}.
 */
public final class SeedAggregate extends PairedBenchmark {
  static final int VALUES = 8;
  static final int SUM = 28;

  private final boolean tree;

  private SeedAggregate(boolean tree, Side side) {
    super(tree ? "seed_aggregate_tree_8" : "seed_aggregate_linear_8", "s", side);
    this.tree = tree;
  }

  public static SeedAggregate linear(Side side) {
    return new SeedAggregate(false, side);
  }

  public static SeedAggregate tree(Side side) {
    return new SeedAggregate(true, side);
  }

  @Override
  protected String baseline(Peer peer) {
    return tree
        ? peer.label(Peer.Op.CALL_ASYNC) + " by level"
        : peer.label(Peer.Op.CALL) + " chain";
  }

  @Override
  protected int warmupRounds(Settings settings) {
    return Math.min(1, settings.warmupRounds());
  }

  @Override
  protected long warmupMillis(Settings settings) {
    return 0;
  }

  @Override
  protected int rounds(Settings settings) {
    return settings.seedRounds();
  }

  @Override
  protected Trial flare(Driver driver, Settings settings) {
    FlareRuntime flare = driver.flare();
    long ms = settings.seedSleepMillis();
    return () -> Measure.seconds(() -> check(tree ? flareTree(flare, ms) : flareLinear(flare, ms)));
  }

  @Override
  protected Trial peer(Driver driver, Settings settings) {
    Peer peer = driver.peer();
    long ms = settings.seedSleepMillis();
    return () -> Measure.seconds(() -> check(tree ? peerTree(peer, ms) : peerLinear(peer, ms)));
  }

  private static int flareLinear(FlareRuntime flare, long ms) {
    ObjectRef<Integer> sum = flare.task(Fns::slowAdd, ms, 0, 1).remote();
    for (int v = 2; v < VALUES; v++) {
      sum = flare.task(Fns::slowAdd, ms, sum, v).remote();
    }
    return flare.get(sum);
  }

  private static int flareTree(FlareRuntime flare, long ms) {
    List<ObjectRef<Integer>> level = new ArrayList<>();
    for (int v = 0; v < VALUES; v += 2) {
      level.add(flare.task(Fns::slowAdd, ms, v, v + 1).remote());
    }
    while (level.size() > 1) {
      List<ObjectRef<Integer>> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += 2) {
        next.add(flare.task(Fns::slowAdd, ms, level.get(i), level.get(i + 1)).remote());
      }
      level = next;
    }
    return flare.get(level.get(0));
  }

  private static int peerLinear(Peer peer, long ms) {
    int sum = peer.call(new Fns.SlowAdd(ms, 0, 1));
    for (int v = 2; v < VALUES; v++) {
      sum = peer.call(new Fns.SlowAdd(ms, sum, v));
    }
    return sum;
  }

  private static int peerTree(Peer peer, long ms) {
    List<Integer> values = new ArrayList<>();
    for (int v = 0; v < VALUES; v++) {
      values.add(v);
    }
    while (values.size() > 1) {
      List<Peer.PeerFuture<Integer>> level = new ArrayList<>();
      for (int i = 0; i < values.size(); i += 2) {
        level.add(peer.callAsync(new Fns.SlowAdd(ms, values.get(i), values.get(i + 1))));
      }
      values = new ArrayList<>();
      for (Peer.PeerFuture<Integer> f : level) {
        values.add(f.get());
      }
    }
    return values.get(0);
  }

  private static void check(int sum) {
    if (sum != SUM) {
      throw new IllegalStateException("expected the sum " + SUM + ", got " + sum);
    }
  }
}
