package io.flare.bench;

/**
 * How long and how often to measure, read from system properties so a run can be made quicker or
 * more careful without a rebuild ({@code JAVA_OPTS="-Dbench.rounds=9" benchmarks/run}).
 *
 * @param warmupRounds unmeasured rounds of each side before the measured ones, at least ({@code
 *     bench.warmup}, default 2)
 * @param warmupMillis unmeasured time of each side before the measured rounds, at least ({@code
 *     bench.warmupMs}, default 2000: Ignite's cache and compute paths need seconds to reach speed)
 * @param rounds measured rounds of each side; the median is reported ({@code bench.rounds}, default
 *     5)
 * @param roundMillis how long one round of a throughput benchmark runs ({@code bench.roundMs},
 *     default 400)
 * @param seedRounds measured rounds of the seed programs, which take seconds each ({@code
 *     bench.seedRounds}, default 3; one warm-up round comes first)
 * @param seedSleepMillis how long the {@code add} of the aggregation seeds sleeps ({@code
 *     bench.sleepMs}, default 100: a tenth of the tutorial's second, to keep the run short)
 * @param scalingMaxTasks the largest step of {@code tasks_scaling} ({@code bench.scalingMax},
 *     default 1,000,000)
 * @param scalingMaxSeconds a step of {@code tasks_scaling} stops after this long and reports what
 *     it did ({@code bench.scalingMaxSeconds}, default 60)
 */
public record Settings(
    int warmupRounds,
    long warmupMillis,
    int rounds,
    long roundMillis,
    int seedRounds,
    long seedSleepMillis,
    int scalingMaxTasks,
    long scalingMaxSeconds) {

  /** The settings of this run. */
  public static Settings fromSystemProperties() {
    return new Settings(
        Integer.getInteger("bench.warmup", 2),
        Long.getLong("bench.warmupMs", 2000),
        Math.max(1, Integer.getInteger("bench.rounds", 5)),
        Long.getLong("bench.roundMs", 400),
        Math.max(1, Integer.getInteger("bench.seedRounds", 3)),
        Long.getLong("bench.sleepMs", 100),
        Integer.getInteger("bench.scalingMax", 1_000_000),
        Long.getLong("bench.scalingMaxSeconds", 60));
  }
}
