package io.flare.bench;

import io.flare.api.ObjectRef;
import io.flare.plugin.FlareRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code single_client_tasks_and_get_batch}: batches per second, a batch being 1,000 tasks
 * submitted by one thread and fetched with one {@code flare.get(List)}. Peer: 1,000 {@code
 * ignite.compute().callAsync} and {@code get()} on every future. The {@code _client} variant drives
 * both from a client node.
 *
 * <p>Run: {@code benchmarks/run single_client_tasks_and_get_batch
 * single_client_tasks_and_get_batch_client}.
 */
public final class SingleClientTasksAndGetBatch extends PairedBenchmark {
  static final int BATCH = 1_000;

  public SingleClientTasksAndGetBatch(Side side) {
    super("single_client_tasks_and_get_batch", "batches/s", side);
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
            1,
            () -> {
              List<ObjectRef<Integer>> refs = new ArrayList<>(BATCH);
              for (int i = 0; i < BATCH; i++) {
                refs.add(flare.task(Fns::small).remote());
              }
              flare.get(refs);
            });
  }

  @Override
  protected Trial peer(Driver driver, Settings settings) {
    Peer peer = driver.peer();
    return () ->
        Measure.rate(
            settings.roundMillis(), 1, () -> SingleClientTasksAsync.callAsyncAndGetAll(peer));
  }
}
