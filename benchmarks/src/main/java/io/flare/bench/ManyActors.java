package io.flare.bench;

import io.flare.api.ActorHandle;
import io.flare.api.ObjectRef;
import io.flare.plugin.FlareRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code many_actors}: actors created per second on one node (the main cluster's server, driven
 * from itself). A round creates {@value #ACTORS} actors ({@code flare.actor(BenchActor::new)
 * .remote()}), makes one call on each and gets all the results, so every actor has been built and
 * has answered; the actors are killed after the round, outside the timing. Peer: {@code
 * ignite.services().deployAll} of {@value #ACTORS} cluster singletons of a trivial service (which
 * returns once they are deployed), then one proxy call to each; they are undeployed after the
 * round, outside the timing. One warm-up round and {@code bench.rounds} measured ones (at most 3).
 * The log shows how long the kills and undeployments took.
 *
 * <p>Run: {@code benchmarks/run many_actors}.
 */
public final class ManyActors extends PairedBenchmark {
  static final int ACTORS = 1_000;

  public ManyActors() {
    super("many_actors", "actors/s", Side.EMBEDDED);
  }

  @Override
  protected String baseline(Peer peer) {
    return peer.label(Peer.Op.DEPLOY_ALL) + " x1000";
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
    return Math.min(3, settings.rounds());
  }

  @Override
  protected Trial flare(Driver driver, Settings settings) {
    FlareRuntime flare = driver.flare();
    return () -> {
      long t0 = System.nanoTime();
      List<ActorHandle<BenchActor>> handles = createAndCall(flare, ACTORS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long k0 = System.nanoTime();
      handles.forEach(ActorHandle::kill);
      System.out.printf(
          Locale.ROOT,
          "    flare: %,d actors created and answered in %.3f s, killed in %.3f s%n",
          ACTORS,
          seconds,
          (System.nanoTime() - k0) / 1e9);
      return ACTORS / seconds;
    };
  }

  @Override
  protected Trial peer(Driver driver, Settings settings) {
    Peer peer = driver.peer();
    int[] round = {0};
    return () -> {
      String prefix = "bench-many-" + round[0]++ + "-";
      long t0 = System.nanoTime();
      peer.deploySingletons(prefix, ACTORS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long k0 = System.nanoTime();
      peer.undeploySingletons(prefix, ACTORS);
      System.out.printf(
          Locale.ROOT,
          "    peer: %,d singletons deployed and called in %.3f s, undeployed in %.3f s%n",
          ACTORS,
          seconds,
          (System.nanoTime() - k0) / 1e9);
      return ACTORS / seconds;
    };
  }

  /** Creates {@code n} actors, calls each once and waits for all the answers. */
  static List<ActorHandle<BenchActor>> createAndCall(FlareRuntime flare, int n) {
    List<ActorHandle<BenchActor>> handles = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      handles.add(flare.actor(BenchActor::new).remote());
    }
    List<ObjectRef<Integer>> refs = new ArrayList<>(n);
    for (ActorHandle<BenchActor> h : handles) {
      refs.add(h.task(BenchActor::small).remote());
    }
    flare.get(refs);
    return handles;
  }
}
