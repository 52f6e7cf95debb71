package io.flare.bench;

import io.flare.api.ActorHandle;
import io.flare.api.ObjectRef;
import io.flare.plugin.FlareRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Ray's actor-call benchmarks, in calls per second, each next to the same peer: a raw Ignite
 * service-proxy call, synchronous, from one thread, to a trivial service ({@link EchoService})
 * deployed on <b>another</b> server node (a proxy to a local service is a plain method call).
 *
 * <p>These rows run on their own cluster of <b>two server nodes</b> in the benchmark JVM (plus a
 * client node for the {@code _client} variants): the embedded driver is the first server, the
 * peer's service and Flare's actors all live on the second server (Flare's actors are created until
 * enough land there: each actor says which node it is on, the others are killed), so both sides
 * cross the same loopback connection. The {@code _client} variants drive both sides from the client
 * node, calling the same second server.
 *
 * <ul>
 *   <li>{@code 1_1_actor_calls_sync}: one call on one actor, then {@code get} of its result,
 *       repeated.
 *   <li>{@code 1_1_actor_calls_async}: 1,000 calls on one actor, then one {@code get(List)}.
 *   <li>{@code 1_n_actor_calls_async}: one driver thread, {@value #N} actors: 1,000 calls round
 *       robin, then one {@code get(List)}.
 *   <li>{@code n_n_actor_calls_async}: {@value #N} driver threads, each with its own actor, each as
 *       in {@code 1_1_actor_calls_async}; the rate is their sum.
 *   <li>{@code n_n_actor_calls_with_arg_async}: the same, each call taking an {@code ObjectRef}
 *       argument ({@code flare.put(0)}, one per batch of 1,000 calls, as Ray does).
 * </ul>
 *
 * <p>Run: {@code benchmarks/run '*actor_calls*'}.
 */
public final class ActorCalls extends PairedBenchmark {
  static final int N = 4;
  static final int BATCH = 1_000;

  /** Which of Ray's actor-call benchmarks. */
  public enum Kind {
    ONE_ONE_SYNC("1_1_actor_calls_sync"),
    ONE_ONE_ASYNC("1_1_actor_calls_async"),
    ONE_N_ASYNC("1_n_actor_calls_async"),
    N_N_ASYNC("n_n_actor_calls_async"),
    N_N_WITH_ARG_ASYNC("n_n_actor_calls_with_arg_async");

    final String rayName;

    Kind(String rayName) {
      this.rayName = rayName;
    }
  }

  private final Kind kind;
  private volatile String host;

  public ActorCalls(Kind kind, Side side) {
    super(kind.rayName, "calls/s", side);
    this.kind = kind;
  }

  @Override
  protected Driver driver(BenchContext context, Side side) {
    Driver d = context.twoServerDriver(side);
    host = context.twoServerActorHost();
    return d;
  }

  @Override
  protected long warmupMillis(Settings settings) {
    return Math.min(settings.warmupMillis(), 1000);
  }

  @Override
  protected String baseline(Peer peer) {
    return peer.label(Peer.Op.SERVICE_CALL);
  }

  @Override
  protected Trial flare(Driver driver, Settings settings) {
    FlareRuntime flare = driver.flare();
    String target = host;
    int actors = kind == Kind.ONE_ONE_SYNC || kind == Kind.ONE_ONE_ASYNC ? 1 : N;
    List<ActorHandle<BenchActor>> handles = actorsOn(flare, target, actors);
    long roundMs = settings.roundMillis();
    return switch (kind) {
      case ONE_ONE_SYNC ->
          new Killing(
              handles,
              () ->
                  Measure.rate(
                      roundMs,
                      1,
                      () -> flare.get(handles.get(0).task(BenchActor::small).remote())));
      case ONE_ONE_ASYNC ->
          new Killing(
              handles, () -> Measure.rate(roundMs, BATCH, () -> batch(flare, handles.get(0))));
      case ONE_N_ASYNC ->
          new Killing(
              handles,
              () ->
                  Measure.rate(
                      roundMs,
                      BATCH,
                      () -> {
                        List<ObjectRef<Integer>> refs = new ArrayList<>(BATCH);
                        for (int i = 0; i < BATCH; i++) {
                          refs.add(handles.get(i % N).task(BenchActor::small).remote());
                        }
                        flare.get(refs);
                      }));
      case N_N_ASYNC -> new Threads(handles, roundMs, h -> batch(flare, h));
      case N_N_WITH_ARG_ASYNC ->
          new Threads(
              handles,
              roundMs,
              h -> {
                ObjectRef<Integer> x = flare.put(0);
                List<ObjectRef<Integer>> refs = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                  refs.add(h.task(BenchActor::smallArg, x).remote());
                }
                flare.get(refs);
              });
    };
  }

  @Override
  protected Trial peer(Driver driver, Settings settings) {
    Peer.RemoteService service = driver.peer().remoteService(host);
    return () -> Measure.rate(settings.roundMillis(), 1, service::call);
  }

  /** 1,000 calls on {@code h}, then one {@code get} of all their results. */
  private static void batch(FlareRuntime flare, ActorHandle<BenchActor> h) {
    List<ObjectRef<Integer>> refs = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      refs.add(h.task(BenchActor::small).remote());
    }
    flare.get(refs);
  }

  /**
   * {@code n} new actors living on the node {@code nodeId}: creates actors and asks each where it
   * is, keeping those on that node and killing the others.
   */
  static List<ActorHandle<BenchActor>> actorsOn(FlareRuntime flare, String nodeId, int n) {
    List<ActorHandle<BenchActor>> chosen = new ArrayList<>();
    List<ActorHandle<BenchActor>> others = new ArrayList<>();
    java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
    for (int i = 0; chosen.size() < n && i < 64 * n; i++) {
      ActorHandle<BenchActor> h = flare.actor(BenchActor::new).remote();
      String where = flare.get(h.task(BenchActor::node).remote());
      seen.merge(where, 1, Integer::sum);
      (where.equals(nodeId) ? chosen : others).add(h);
    }
    others.forEach(ActorHandle::kill);
    if (chosen.size() < n) {
      chosen.forEach(ActorHandle::kill);
      throw new IllegalStateException(
          "no "
              + n
              + " actors landed on node "
              + nodeId
              + " after "
              + 64 * n
              + " tries; they landed on "
              + seen);
    }
    return chosen;
  }

  /** A trial of one driver thread that kills its actors when closed. */
  private static final class Killing implements Trial {
    private final List<ActorHandle<BenchActor>> handles;
    private final Trial round;

    Killing(List<ActorHandle<BenchActor>> handles, Trial round) {
      this.handles = handles;
      this.round = round;
    }

    @Override
    public double run() throws Exception {
      return round.run();
    }

    @Override
    public void close() {
      handles.forEach(ActorHandle::kill);
    }
  }

  /** A batch on one actor, run by one driver thread. */
  @FunctionalInterface
  private interface Batch {
    void run(ActorHandle<BenchActor> h) throws Exception;
  }

  /** A round: thread {@code i} repeats the batch on actor {@code i}; the rate is their sum. */
  private static final class Threads implements Trial {
    private final List<ActorHandle<BenchActor>> handles;
    private final ExecutorService pool;
    private final long roundMillis;
    private final Batch batch;

    Threads(List<ActorHandle<BenchActor>> handles, long roundMillis, Batch batch) {
      this.handles = handles;
      this.pool = Executors.newFixedThreadPool(handles.size());
      this.roundMillis = roundMillis;
      this.batch = batch;
    }

    @Override
    public double run() throws Exception {
      long start = System.nanoTime();
      long end = start + roundMillis * 1_000_000;
      List<Future<Long>> counts = new ArrayList<>();
      for (ActorHandle<BenchActor> h : handles) {
        counts.add(
            pool.submit(
                () -> {
                  long calls = 0;
                  do {
                    batch.run(h);
                    calls += BATCH;
                  } while (System.nanoTime() < end);
                  return calls;
                }));
      }
      long total = 0;
      for (Future<Long> c : counts) {
        total += c.get();
      }
      return total / ((System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() {
      pool.shutdownNow();
      handles.forEach(ActorHandle::kill);
    }
  }
}
