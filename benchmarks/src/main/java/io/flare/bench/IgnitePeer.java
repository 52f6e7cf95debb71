package io.flare.bench;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteCompute;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;

/**
 * The raw Ignite peer: {@code ignite.compute()} (over the server nodes) for jobs and an atomic,
 * partitioned {@code IgniteCache<Integer, byte[]>} without backups for values, used from the node
 * the benchmark drives.
 */
final class IgnitePeer implements Peer {
  static final String CACHE = "bench-peer";

  private final IgniteCompute compute;
  private final IgniteCache<Integer, byte[]> cache;

  IgnitePeer(Ignite ignite) {
    this.compute = ignite.compute();
    this.cache =
        ignite.getOrCreateCache(
            new CacheConfiguration<Integer, byte[]>(CACHE)
                .setCacheMode(CacheMode.PARTITIONED)
                .setAtomicityMode(CacheAtomicityMode.ATOMIC)
                .setBackups(0));
  }

  @Override
  public String label(Op op) {
    return switch (op) {
      case CALL -> "ignite compute().call(IgniteCallable)";
      case CALL_ASYNC -> "ignite compute().callAsync";
      case PUT -> "ignite IgniteCache<Integer,byte[]>.put";
      case GET -> "ignite IgniteCache<Integer,byte[]>.get";
      case WAIT -> "ignite IgniteFuture.get on 1,000 completed futures";
    };
  }

  @Override
  public <R> R call(IgniteCallable<R> job) {
    return compute.call(job);
  }

  @Override
  public <R> PeerFuture<R> callAsync(IgniteCallable<R> job) {
    return new Pending<>(compute.callAsync(job));
  }

  @Override
  public void put(int key, byte[] value) {
    cache.put(key, value);
  }

  @Override
  public byte[] get(int key) {
    return cache.get(key);
  }

  private record Pending<R>(IgniteFuture<R> future) implements PeerFuture<R> {
    @Override
    public R get() {
      return future.get();
    }

    @Override
    public boolean isDone() {
      return future.isDone();
    }
  }
}
