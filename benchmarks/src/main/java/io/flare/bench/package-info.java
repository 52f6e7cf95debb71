/**
 * Whole-program benchmarks of Flare under Ray's microbenchmark names, each measured in the same run
 * against the nearest raw Ignite peer. Run them with {@code benchmarks/run [name...]} from the
 * repository root; {@link io.flare.bench.BenchmarkMain} is the entry point.
 */
package io.flare.bench;
