package io.flare.bench;

import java.util.List;

/**
 * A whole-program benchmark: one class each, listed in {@link Benchmarks}. Most measure Flare and a
 * peer side by side and extend {@link PairedBenchmark}; one that reports several rows (such as
 * {@link TasksScaling}) implements this directly.
 */
public interface Benchmark {
  /** Ray's name for it where Ray has one; unique; {@code _client} ends the client-node variants. */
  String name();

  /** Runs the benchmark (warm-up included) and returns its rows; called once per run. */
  List<Result> run(BenchContext context) throws Exception;
}
