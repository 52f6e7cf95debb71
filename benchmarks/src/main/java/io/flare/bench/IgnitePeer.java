package io.flare.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteCompute;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.services.ServiceConfiguration;

/**
 * The raw Ignite peer: {@code ignite.compute()} (over the server nodes) for jobs, an atomic,
 * partitioned {@code IgniteCache<Integer, byte[]>} without backups for values, used from the node
 * the benchmark drives, the same kind of cache on the data region {@link BenchCluster#PEER_REGION}
 * (512 MiB) for one 100 MB value, and services: a trivial service ({@link EchoService}) for proxy
 * calls and batch deployments.
 */
final class IgnitePeer implements Peer {
  static final String CACHE = "bench-peer";
  static final String LARGE_CACHE = "bench-peer-large";

  private final Ignite ignite;
  private final IgniteCompute compute;
  private final IgniteCache<Integer, byte[]> cache;
  private IgniteCache<Integer, byte[]> large;
  private RemoteService remote;

  IgnitePeer(Ignite ignite) {
    this.ignite = ignite;
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
      case SERVICE_CALL -> "ignite service proxy call to another node, sync, 1 thread";
      case DEPLOY_ALL -> "ignite services().deployAll of cluster singletons";
      case PUT_LARGE -> "ignite IgniteCache<Integer,byte[]>.put of the same bytes";
      case GET_LARGE -> "ignite IgniteCache<Integer,byte[]>.get of the same bytes";
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

  @Override
  public synchronized RemoteService remoteService(String nodeId) {
    if (remote != null && !remote.nodeId().equals(nodeId)) {
      throw new IllegalStateException("the remote service runs on " + remote.nodeId());
    }
    if (remote == null) {
      ClusterNode target = ignite.cluster().node(java.util.UUID.fromString(nodeId));
      if (target == null
          || target.isClient()
          || target.id().equals(ignite.cluster().localNode().id())) {
        throw new IllegalStateException(
            "a remote service call needs another server node, not " + nodeId);
      }
      // One service per calling node, so two peers never deploy one name with different filters.
      String name = "bench-echo-" + ignite.cluster().localNode().id();
      ignite
          .services(ignite.cluster().forNodeId(target.id()))
          .deployClusterSingleton(name, new EchoService());
      Echo proxy = ignite.services().serviceProxy(name, Echo.class, false);
      remote =
          new RemoteService() {
            @Override
            public String nodeId() {
              return nodeId;
            }

            @Override
            public int call() {
              return proxy.small();
            }
          };
    }
    return remote;
  }

  @Override
  public void deploySingletons(String prefix, int count) {
    List<ServiceConfiguration> cfgs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      cfgs.add(
          new ServiceConfiguration()
              .setName(prefix + i)
              .setService(new EchoService())
              .setTotalCount(1)
              .setMaxPerNodeCount(1));
    }
    ignite.services().deployAll(cfgs);
    for (int i = 0; i < count; i++) {
      ignite.services().serviceProxy(prefix + i, Echo.class, false).small();
    }
  }

  @Override
  public void undeploySingletons(String prefix, int count) {
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      names.add(prefix + i);
    }
    ignite.services().cancelAll(names);
  }

  @Override
  public synchronized void putLarge(byte[] value) {
    largeCache().put(0, value);
  }

  @Override
  public synchronized void removeLarge() {
    largeCache().remove(0);
  }

  @Override
  public synchronized byte[] getLarge() {
    return largeCache().get(0);
  }

  private IgniteCache<Integer, byte[]> largeCache() {
    if (large == null) {
      large =
          ignite.getOrCreateCache(
              new CacheConfiguration<Integer, byte[]>(LARGE_CACHE)
                  .setCacheMode(CacheMode.PARTITIONED)
                  .setAtomicityMode(CacheAtomicityMode.ATOMIC)
                  .setBackups(0)
                  .setDataRegionName(BenchCluster.PEER_REGION));
    }
    return large;
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
