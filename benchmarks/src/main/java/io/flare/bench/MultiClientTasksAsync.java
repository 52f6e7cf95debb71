package io.flare.bench;

import io.flare.api.ObjectRef;
import io.flare.plugin.FlareRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code multi_client_tasks_async}: tasks per second, summed over {@value #THREADS} driver threads
 * that at the same time each submit 1,000 tasks and then get each result, again and again (Ray runs
 * several driver processes; here they are threads of one driver node, sharing its Flare runtime).
 * Peer: the same threads doing 1,000 {@code ignite.compute().callAsync} and getting every future.
 * The {@code _client} variant drives both from a client node.
 *
 * <p>Run: {@code benchmarks/run multi_client_tasks_async multi_client_tasks_async_client}.
 */
public final class MultiClientTasksAsync extends PairedBenchmark {
  static final int THREADS = 4;
  static final int BATCH = 1_000;

  public MultiClientTasksAsync(Side side) {
    super("multi_client_tasks_async", "tasks/s", side);
  }

  @Override
  protected String baseline(Peer peer) {
    return peer.label(Peer.Op.CALL_ASYNC) + " x1000 from " + THREADS + " threads";
  }

  @Override
  protected Trial flare(Driver driver, Settings settings) {
    FlareRuntime flare = driver.flare();
    return new Threads(
        settings.roundMillis(),
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
    return new Threads(
        settings.roundMillis(), () -> SingleClientTasksAsync.callAsyncAndGetAll(peer));
  }

  /** A round: every thread repeats the batch for the round's length; the rate is their sum. */
  private static final class Threads implements Trial {
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    private final long roundMillis;
    private final Measure.Iteration batch;

    Threads(long roundMillis, Measure.Iteration batch) {
      this.roundMillis = roundMillis;
      this.batch = batch;
    }

    @Override
    public double run() throws Exception {
      long start = System.nanoTime();
      long end = start + roundMillis * 1_000_000;
      List<Future<Long>> counts = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        counts.add(
            pool.submit(
                () -> {
                  long tasks = 0;
                  do {
                    batch.run();
                    tasks += BATCH;
                  } while (System.nanoTime() < end);
                  return tasks;
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
    }
  }
}
