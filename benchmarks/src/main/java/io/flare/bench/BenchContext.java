package io.flare.bench;

/**
 * What a running benchmark gets: the settings and the nodes to drive. The main cluster (one server,
 * a client on demand) lives for the whole run; the two-server cluster of the actor rows and the
 * server JVM of the {@code _client_jvm} rows are started on first use, and only one of those two
 * runs at a time (asking for one closes the other), to keep memory in bounds.
 */
public final class BenchContext implements AutoCloseable {
  private final Settings settings;
  private final BenchCluster cluster;
  private BenchCluster twoServers;
  private ServerJvm serverJvm;

  BenchContext(Settings settings, BenchCluster cluster) {
    this.settings = settings;
    this.cluster = cluster;
  }

  public Settings settings() {
    return settings;
  }

  /**
   * The driver on {@code side} of the main cluster (the client node is started the first time it is
   * asked for), or, for {@link Side#CLIENT_JVM}, the client node joined to the server JVM.
   */
  public synchronized Driver driver(Side side) {
    if (side == Side.CLIENT_JVM) {
      if (serverJvm == null) {
        closeTwoServers();
        serverJvm = ServerJvm.start();
      }
      return serverJvm.driver();
    }
    return cluster.driver(side);
  }

  /** The driver on {@code side} (embedded or client) of a cluster of two server nodes. */
  public synchronized Driver twoServerDriver(Side side) {
    if (side == Side.CLIENT_JVM) {
      throw new IllegalArgumentException("the two-server cluster has no client JVM");
    }
    if (twoServers == null) {
      closeServerJvm();
      twoServers = new BenchCluster(2);
    }
    return twoServers.driver(side);
  }

  /** The server of the two-server cluster that hosts the actors of the actor-call rows. */
  public synchronized String twoServerActorHost() {
    twoServerDriver(Side.EMBEDDED);
    return twoServers.actorHost();
  }

  private void closeTwoServers() {
    if (twoServers != null) {
      twoServers.close();
      twoServers = null;
    }
  }

  private void closeServerJvm() {
    if (serverJvm != null) {
      serverJvm.close();
      serverJvm = null;
    }
  }

  /** Stops the extra clusters (the main one is its owner's to close). */
  @Override
  public synchronized void close() {
    closeTwoServers();
    closeServerJvm();
  }
}
