package io.flare.bench;

import io.flare.api.ObjectRef;
import io.flare.plugin.FlareRuntime;
import io.flare.plugin.internal.IgniteRuntimeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code tasks_scaling}: whether the cost of a task and the heap stay flat as a driver runs more
 * tasks. For 10^3, 10^4, 10^5 and 10^6 tasks in turn, one thread on the server node submits the
 * tasks asynchronously in windows of {@value #WINDOW} refs, gets each window with {@code
 * flare.get(List)} and drops its refs; then the heap in use after {@code System.gc()} is read.
 * Rows: {@code tasks_scaling_1eN} in {@code us/task} and {@code tasks_scaling_1eN_heap} in {@code
 * MB}, each against the 10^3 step's figure (Flare against itself: a ratio near 1 is flat). A step
 * that runs longer than {@code bench.scalingMaxSeconds} (60 s) stops and reports the tasks it did;
 * the largest step is {@code bench.scalingMax} (10^6). The log also shows how many objects Flare's
 * owner table still holds after each step (an internal counter), which should stay near zero.
 *
 * <p>Run: {@code benchmarks/run tasks_scaling}.
 */
public final class TasksScaling implements Benchmark {
  static final int WINDOW = 10_000;

  @Override
  public String name() {
    return "tasks_scaling";
  }

  @Override
  public List<Result> run(BenchContext context) throws Exception {
    Driver driver = context.driver(Side.EMBEDDED);
    FlareRuntime flare = driver.flare();
    Settings s = context.settings();
    runTasks(flare, 2 * WINDOW, Long.MAX_VALUE); // warm-up
    Measure.heapUsedMbAfterGc();
    int ownedBefore = IgniteRuntimeFactory.nodeOf(driver.ignite()).ownedObjectCount();
    List<Result> results = new ArrayList<>();
    double firstTime = Double.NaN;
    double firstHeap = Double.NaN;
    for (int n = 1_000; n <= s.scalingMaxTasks() && n > 0; n *= 10) {
      long deadline = System.nanoTime() + s.scalingMaxSeconds() * 1_000_000_000L;
      long start = System.nanoTime();
      long done = runTasks(flare, n, deadline);
      double seconds = (System.nanoTime() - start) / 1e9;
      double usPerTask = seconds * 1e6 / done;
      double heap = Measure.heapUsedMbAfterGc();
      int owned = IgniteRuntimeFactory.nodeOf(driver.ignite()).ownedObjectCount() - ownedBefore;
      String exp = "1e" + (Integer.toString(n).length() - 1);
      System.out.printf(
          Locale.ROOT,
          "  tasks_scaling %s: %,d tasks in %.2f s, %.2f us/task, heap %.2f MB, owned objects %+d since the start%s%n",
          exp,
          done,
          seconds,
          usPerTask,
          heap,
          owned,
          done < n ? " (STOPPED after " + s.scalingMaxSeconds() + " s)" : "");
      if (results.isEmpty()) {
        firstTime = usPerTask;
        firstHeap = heap;
      }
      results.add(
          new Result(
              "tasks_scaling_" + exp, "us/task", usPerTask, "flare at 10^3 tasks", firstTime));
      results.add(
          new Result(
              "tasks_scaling_" + exp + "_heap", "MB", heap, "heap after the 10^3 step", firstHeap));
    }
    return results;
  }

  /** Runs up to {@code n} tasks in windows; returns how many ran before {@code deadline}. */
  private static long runTasks(FlareRuntime flare, int n, long deadline) {
    long done = 0;
    while (done < n && System.nanoTime() < deadline) {
      int window = (int) Math.min(WINDOW, n - done);
      List<ObjectRef<Integer>> refs = new ArrayList<>(window);
      for (int i = 0; i < window; i++) {
        refs.add(flare.task(Fns::small).remote());
      }
      flare.get(refs);
      done += window;
    }
    return done;
  }
}
