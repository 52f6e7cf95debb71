package io.flare.bench;

import io.flare.api.ObjectRef;
import io.flare.plugin.FlareRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code single_client_tasks_async}: tasks per second when one thread submits 1,000 tasks ({@code
 * flare.task(Fns::small).remote()}) and then gets each result in turn with {@code flare.get(ref)},
 * so up to 1,000 tasks are in flight. Peer: 1,000 {@code ignite.compute().callAsync} then {@code
 * get()} on each future. The {@code _client} variant drives both from a client node.
 *
 * <p>Run: {@code benchmarks/run single_client_tasks_async single_client_tasks_async_client}.
 */
public final class SingleClientTasksAsync extends PairedBenchmark {
  static final int BATCH = 1_000;

  public SingleClientTasksAsync(Side side) {
    super("single_client_tasks_async", "tasks/s", side);
  }

  @Override
  protected String baseline(Peer peer) {
    return peer.label(Peer.Op.CALL_ASYNC) + " x1000";
  }

  @Override
  protected Trial flare(Driver driver, Settings settings) {
    FlareRuntime flare = driver.flare();
    return () ->
        Measure.rate(
            settings.roundMillis(),
            BATCH,
            () -> {
              List<ObjectRef<Integer>> refs = new ArrayList<>(BATCH);
              for (int i = 0; i < BATCH; i++) {
                refs.add(flare.task(Fns::small).remote());
              }
              for (ObjectRef<Integer> ref : refs) {
                flare.get(ref);
              }
            });
  }

  @Override
  protected Trial peer(Driver driver, Settings settings) {
    Peer peer = driver.peer();
    return () -> Measure.rate(settings.roundMillis(), BATCH, () -> callAsyncAndGetAll(peer));
  }

  /** 1,000 async calls of the small job, then the result of each. */
  static void callAsyncAndGetAll(Peer peer) {
    List<Peer.PeerFuture<Integer>> futures = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      futures.add(peer.callAsync(new Fns.Small()));
    }
    for (Peer.PeerFuture<Integer> f : futures) {
      f.get();
    }
  }
}
