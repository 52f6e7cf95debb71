package io.flare.bench;

import io.flare.plugin.FlareRuntime;

/**
 * {@code single_client_tasks_sync}: tasks per second when one thread submits a task and waits for
 * its result before submitting the next ({@code flare.get(flare.task(Fns::small).remote())}), so
 * every task pays the whole round trip. Peer: {@code ignite.compute().call(IgniteCallable)} of the
 * same body, one at a time. The {@code _client} variant drives both from a client node.
 *
 * <p>Run: {@code benchmarks/run single_client_tasks_sync single_client_tasks_sync_client}.
 */
public final class SingleClientTasksSync extends PairedBenchmark {
  public SingleClientTasksSync(Side side) {
    super("single_client_tasks_sync", "tasks/s", side);
  }

  @Override
  protected String baseline(Peer peer) {
    return peer.label(Peer.Op.CALL);
  }

  @Override
  protected Trial flare(Driver driver, Settings settings) {
    FlareRuntime flare = driver.flare();
    return () ->
        Measure.rate(settings.roundMillis(), 1, () -> flare.get(flare.task(Fns::small).remote()));
  }

  @Override
  protected Trial peer(Driver driver, Settings settings) {
    Peer peer = driver.peer();
    return () -> Measure.rate(settings.roundMillis(), 1, () -> peer.call(new Fns.Small()));
  }
}
