package io.flare.bench;

import java.util.List;
import java.util.Locale;

/**
 * A benchmark of one row: Flare against its peer on one {@link Side}, with the same warm-up and
 * rounds on both, reported as medians. A subclass names the row and builds the two {@link Trial}s.
 */
public abstract class PairedBenchmark implements Benchmark {
  private final String baseName;
  private final String unit;
  private final Side side;

  protected PairedBenchmark(String baseName, String unit, Side side) {
    this.baseName = baseName;
    this.unit = unit;
    this.side = side;
  }

  @Override
  public final String name() {
    return baseName + side.suffix();
  }

  /** The node this row drives from; the actor rows use the two-server cluster. */
  protected Driver driver(BenchContext context, Side side) {
    return context.driver(side);
  }

  /** The peer's operation this row compares with, for {@link Peer#label}. */
  protected abstract String baseline(Peer peer);

  /** Flare's side, set up on {@code driver}. */
  protected abstract Trial flare(Driver driver, Settings settings) throws Exception;

  /** The peer's side, set up on {@code driver}. */
  protected abstract Trial peer(Driver driver, Settings settings) throws Exception;

  /** Unmeasured rounds per side; the seed programs, which take seconds, use fewer. */
  protected int warmupRounds(Settings settings) {
    return settings.warmupRounds();
  }

  /** How long each side at least warms up; the seed programs need no more than their round. */
  protected long warmupMillis(Settings settings) {
    return settings.warmupMillis();
  }

  protected int rounds(Settings settings) {
    return settings.rounds();
  }

  @Override
  public final List<Result> run(BenchContext context) throws Exception {
    Driver driver = driver(context, side);
    Settings s = context.settings();
    Measure.Outcome o =
        Measure.sideBySide(
            flare(driver, s), peer(driver, s), warmupRounds(s), warmupMillis(s), rounds(s));
    System.out.printf(
        Locale.ROOT,
        "  %s: flare %s, peer %s (%s)%n",
        name(),
        Report.rounds(o.flareRounds()),
        Report.rounds(o.peerRounds()),
        unit);
    return List.of(new Result(name(), unit, o.flare(), baseline(driver.peer()), o.peer()));
  }
}
