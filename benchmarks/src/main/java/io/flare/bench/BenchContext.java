package io.flare.bench;

/** What a running benchmark gets: the settings and the nodes to drive. */
public final class BenchContext {
  private final Settings settings;
  private final BenchCluster cluster;

  BenchContext(Settings settings, BenchCluster cluster) {
    this.settings = settings;
    this.cluster = cluster;
  }

  public Settings settings() {
    return settings;
  }

  /** The driver on {@code side}; the client node is started the first time it is asked for. */
  public Driver driver(Side side) {
    return cluster.driver(side);
  }
}
