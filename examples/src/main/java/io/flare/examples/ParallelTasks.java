package io.flare.examples;

import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Parallel tasks, the first step of the Ray tutorial: four calls of a slow function run side by
 * side instead of one after another.
 *
 * <p>In Ray:
 *
 * <pre>
 * &#64;ray.remote
 * def f(i):
 *     time.sleep(1)
 *     return i * i
 *
 * results = ray.get([f.remote(i) for i in range(4)])
 * </pre>
 *
 * <p>In Flare, {@code f} is a static method, submitted by method reference: {@code
 * Flare.task(ParallelTasks::f, i).remote()} returns at once with an {@link ObjectRef}, and {@link
 * Flare#get(List)} waits for all four results, in call order.
 *
 * <p>How long it takes depends on the worker slots: called one after another the four calls take
 * four seconds; as tasks they take one second per round of as many calls as there are slots. An
 * embedded node has one slot per core, and a task sleeping in {@code f} keeps its slot (Flare lends
 * a blocked task's slot to other tasks only while it waits in {@code Flare.get}), so on a two-core
 * machine the four calls take two rounds, about 2 s, and about 1 s from four cores on. The program
 * prints the slots it found, the least time they allow and the time it measured.
 *
 * <p>Expected output, on two cores:
 *
 * <pre>
 * ParallelTasks: results=[0, 1, 4, 9] in 2.04 s (4 tasks of 1 s on 2 worker slots: at least 2 s; one after another: 4 s)
 * </pre>
 *
 * <p>Run it alone with {@code mvn -q -pl examples exec:exec@run-examples
 * -Dexample=io.flare.examples.ParallelTasks}.
 */
public final class ParallelTasks {
  /** How many calls of {@link #f} the example makes. */
  static final int CALLS = 4;

  /** How long each call of {@link #f} sleeps. */
  static final long SLEEP_MS = 1000;

  private ParallelTasks() {}

  /** The slow function: sleeps for a second, then returns {@code i * i}. Runs as a task. */
  public static int f(int i) throws InterruptedException {
    Thread.sleep(SLEEP_MS);
    return i * i;
  }

  /**
   * Submits {@code f(0)} to {@code f(3)} as tasks and waits for their results: {@code [0, 1, 4,
   * 9]}. Requires a started Flare; blocks until the four tasks are done.
   */
  public static List<Integer> run() {
    List<ObjectRef<Integer>> refs = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      refs.add(Flare.task(ParallelTasks::f, i).remote());
    }
    return Flare.get(refs);
  }

  /** The results {@link #run()} must return, computed without Flare (and without sleeping). */
  static List<Integer> expected() {
    List<Integer> squares = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      squares.add(i * i);
    }
    return squares;
  }

  /** Runs the example on the started Flare, checks and prints its result and wall time. */
  static void runAndPrint() {
    int slots = ExampleSupport.workerSlots();
    long start = System.nanoTime();
    List<Integer> results = run();
    double seconds = ExampleSupport.secondsSince(start);
    ExampleSupport.check(
        results.equals(expected()), "ParallelTasks: expected " + expected() + ", got " + results);
    int rounds = slots > 0 ? (CALLS + slots - 1) / slots : CALLS;
    long sleepSeconds = SLEEP_MS / 1000;
    System.out.printf(
        "ParallelTasks: results=%s in %s (%d tasks of %d s on %d worker slots: at least %d s;"
            + " one after another: %d s)%n",
        results,
        ExampleSupport.seconds(seconds),
        CALLS,
        sleepSeconds,
        slots,
        rounds * sleepSeconds,
        CALLS * sleepSeconds);
  }

  /** Starts Flare (honouring {@code -Dflare.config}), runs the example, stops Flare. */
  public static void main(String[] args) {
    Flare.init();
    try {
      runAndPrint();
    } finally {
      Flare.shutdown();
    }
  }
}
