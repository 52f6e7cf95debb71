package io.flare.bench;

/**
 * One row of results: Flare's figure and its peer's, in the same unit.
 *
 * @param name the benchmark's name, Ray's where Ray has one
 * @param unit {@code tasks/s}, {@code calls/s}, {@code batches/s}, {@code GB/s} (higher is better),
 *     or {@code s}, {@code us/task}, {@code MB}, {@code KB/actor} (lower is better)
 * @param flare Flare's figure (the median of the measured rounds)
 * @param baseline what Flare is compared with, such as {@code ignite compute().callAsync}
 * @param baselineValue the baseline's figure, measured the same way in the same run
 */
public record Result(
    String name, String unit, double flare, String baseline, double baselineValue) {
  /** Flare's figure over the baseline's. */
  public double ratio() {
    return flare / baselineValue;
  }

  /** True for units where a smaller figure is the better one. */
  public boolean lowerIsBetter() {
    return unit.equals("s")
        || unit.equals("us/task")
        || unit.equals("MB")
        || unit.equals("KB/actor");
  }
}
