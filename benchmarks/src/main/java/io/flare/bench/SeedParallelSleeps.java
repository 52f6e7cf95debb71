package io.flare.bench;

import io.flare.api.ObjectRef;
import io.flare.plugin.FlareRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code seed_parallel_sleeps_4x1s}: seconds the Ray tutorial's first program takes: four tasks
 * that each sleep 1 s and return {@code i * i}, submitted at once and fetched with one {@code
 * flare.get(List)}. Peer: the same four sleeps as {@code ignite.compute().callAsync} jobs. The
 * figure mostly shows how many run at once: Flare runs one task per worker slot (one per core on a
 * default node, so two rounds of 1 s on two cores) while Ignite's public pool has at least 8
 * threads. The {@code _client} variant drives both from a client node.
 *
 * <p>Run: {@code benchmarks/run seed_parallel_sleeps_4x1s seed_parallel_sleeps_4x1s_client}.
 */
public final class SeedParallelSleeps extends PairedBenchmark {
  static final int TASKS = 4;
  static final long SLEEP_MS = 1000;

  public SeedParallelSleeps(Side side) {
    super("seed_parallel_sleeps_4x1s", "s", side);
  }

  @Override
  protected String baseline(Peer peer) {
    return peer.label(Peer.Op.CALL_ASYNC) + " x4";
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
    return () ->
        Measure.seconds(
            () -> {
              List<ObjectRef<Integer>> refs = new ArrayList<>();
              for (int i = 0; i < TASKS; i++) {
                refs.add(flare.task(Fns::sleepSquare, SLEEP_MS, i).remote());
              }
              check(flare.get(refs));
            });
  }

  @Override
  protected Trial peer(Driver driver, Settings settings) {
    Peer peer = driver.peer();
    return () ->
        Measure.seconds(
            () -> {
              List<Peer.PeerFuture<Integer>> futures = new ArrayList<>();
              for (int i = 0; i < TASKS; i++) {
                futures.add(peer.callAsync(new Fns.SleepSquare(SLEEP_MS, i)));
              }
              List<Integer> results = new ArrayList<>();
              for (Peer.PeerFuture<Integer> f : futures) {
                results.add(f.get());
              }
              check(results);
            });
  }

  private static void check(List<Integer> results) {
    if (!results.equals(List.of(0, 1, 4, 9))) {
      throw new IllegalStateException("expected [0, 1, 4, 9], got " + results);
    }
  }
}
