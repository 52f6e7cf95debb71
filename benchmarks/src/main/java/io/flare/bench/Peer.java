package io.flare.bench;

import org.apache.ignite.lang.IgniteCallable;

/**
 * The adapter every peer sits behind: the handful of operations the benchmarks compare Flare with.
 * {@link IgnitePeer} implements it with raw Ignite compute and a raw cache; another peer (plain
 * executors, another grid) is one more implementation, and every benchmark runs against it
 * unchanged. Jobs are {@link IgniteCallable}s, which are just {@code Callable + Serializable}, so a
 * peer without Ignite can run them too.
 */
public interface Peer {
  /** The operations, named so each row of the results can say what its baseline did. */
  enum Op {
    /** Run a job and wait for its result. */
    CALL,
    /** Start a job and return a future of its result. */
    CALL_ASYNC,
    /** Store a {@code byte[]} under an {@code int} key. */
    PUT,
    /** Read a stored {@code byte[]}. */
    GET,
    /** Wait on futures that are already complete. */
    WAIT,
    /** Call a trivial service on another node through a proxy, synchronously. */
    SERVICE_CALL,
    /** Deploy many trivial cluster-singleton services at once. */
    DEPLOY_ALL,
    /** Store one large {@code byte[]} (100 MB) under one key. */
    PUT_LARGE,
    /** Read the large {@code byte[]} back. */
    GET_LARGE
  }

  /** A trivial service deployed on another node than the caller's, behind a proxy. */
  interface RemoteService {
    /** The id of the node the service runs on, as Flare's {@code getCurrentNodeId()} gives it. */
    String nodeId();

    /** One synchronous call through the proxy. */
    int call();
  }

  /** A future result of {@link #callAsync}. */
  interface PeerFuture<R> {
    /** Blocks until the job is done; rethrows its failure unchecked. */
    R get();

    boolean isDone();
  }

  /** How this peer performs {@code op}, such as {@code ignite compute().callAsync}. */
  String label(Op op);

  /** Runs {@code job} on a server and returns its result. */
  <R> R call(IgniteCallable<R> job);

  /** Starts {@code job} on a server; never blocks for the result. */
  <R> PeerFuture<R> callAsync(IgniteCallable<R> job);

  /** Stores {@code value} under {@code key}, replacing what was there. */
  void put(int key, byte[] value);

  /** The value stored under {@code key}, or {@code null}. */
  byte[] get(int key);

  /**
   * A trivial service on the server node {@code nodeId} (another node than this one), deployed on
   * first use; a call to it crosses the network, where a proxy to a local service is a plain method
   * call.
   */
  RemoteService remoteService(String nodeId);

  /**
   * Deploys {@code count} trivial cluster singletons named {@code prefix + i} in one batch, waits
   * until they are deployed and calls each once.
   */
  void deploySingletons(String prefix, int count);

  /** Undeploys what {@link #deploySingletons} deployed. */
  void undeploySingletons(String prefix, int count);

  /** Stores a large {@code value} as the single entry of a cache sized for it. */
  void putLarge(byte[] value);

  /** Removes the large value, if any (so the next {@link #putLarge} writes a new entry). */
  void removeLarge();

  /** The value {@link #putLarge} stored. */
  byte[] getLarge();
}
