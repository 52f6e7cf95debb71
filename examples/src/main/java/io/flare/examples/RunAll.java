package io.flare.examples;

import io.flare.api.Flare;
import java.util.List;

/**
 * Runs every example in order on one Flare start: {@link ParallelTasks}, {@link MatrixDag}, {@link
 * Aggregation}. Each prints one line per result with its wall time and checks its result; a failed
 * example is reported and the next one runs, and the program then exits with status 1.
 *
 * <p>Run it from the repository root with {@code mvn -q install -DskipTests && mvn -q -pl examples
 * exec:exec@run-examples}; add {@code -Dflare.config=cluster.xml} to run on a cluster instead of an
 * embedded node. It takes about half a minute on two cores, most of it in {@code Aggregation}'s
 * one-second adds.
 */
public final class RunAll {
  /** One example: its name and what runs it on a started Flare, printing its lines. */
  record Example(String name, Runnable runAndPrint) {}

  /** The examples, in the order they run. Add new ones here. */
  static final List<Example> EXAMPLES =
      List.of(
          new Example("ParallelTasks", ParallelTasks::runAndPrint),
          new Example("MatrixDag", MatrixDag::runAndPrint),
          new Example("Aggregation", Aggregation::runAndPrint),
          new Example("CounterActor", CounterActor::runAndPrint),
          new Example("MessageActor", MessageActor::runAndPrint));

  private RunAll() {}

  /** Starts Flare (honouring {@code -Dflare.config}), runs every example, stops Flare. */
  public static void main(String[] args) {
    int failed = 0;
    long start = System.nanoTime();
    Flare.init();
    try {
      System.out.printf(
          "Flare started: %d worker slots (CPU) on %d node(s)%n",
          ExampleSupport.workerSlots(), Flare.getRuntimeContext().getAllNodeInfo().size());
      for (Example example : EXAMPLES) {
        try {
          example.runAndPrint().run();
        } catch (RuntimeException e) {
          failed++;
          System.out.println(example.name() + ": FAILED");
          e.printStackTrace(System.out);
        }
      }
    } finally {
      Flare.shutdown();
    }
    System.out.printf(
        "RunAll: %d of %d examples passed in %s%n",
        EXAMPLES.size() - failed,
        EXAMPLES.size(),
        ExampleSupport.seconds(ExampleSupport.secondsSince(start)));
    if (failed > 0) {
      System.exit(1);
    }
  }
}
