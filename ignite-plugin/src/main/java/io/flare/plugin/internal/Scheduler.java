package io.flare.plugin.internal;

import io.flare.store.cache.StoredLocation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;

/**
 * Picks the node a task runs on: among Flare server nodes that offer the resources it asks for, the
 * one holding its largest stored argument (so big data does not move), else the one with the fewest
 * tasks in flight from this owner, preferring the local node on ties.
 */
final class Scheduler {
  /** Stored arguments at least this big pull their task to the node that holds them. */
  static final long LOCALITY_THRESHOLD = 1 << 20;

  private final Ignite ignite;
  private final FlareNode node;
  private final ConcurrentHashMap<UUID, AtomicInteger> inflight = new ConcurrentHashMap<>();
  private volatile long topVer = -1;
  private volatile UUID topSelf;

  /**
   * Counts handshakes answered; read before a list is built and kept with it, so a list built while
   * a node became ready (and that may miss it) is rebuilt on the next call.
   */
  private final java.util.concurrent.atomic.AtomicLong readyGen =
      new java.util.concurrent.atomic.AtomicLong();

  private volatile long listGen = -1;
  private volatile List<Worker> servers = List.of();
  private int rotor;

  /** A Flare server node as the scheduler sees it. */
  record Worker(UUID id, Map<String, Double> resources) {}

  Scheduler(Ignite ignite, FlareNode node) {
    this.ignite = ignite;
    this.node = node;
  }

  private List<Worker> servers() {
    long gen = readyGen.get();
    long v = ignite.cluster().topologyVersion();
    // this node's id too: a client that reconnected to a restarted cluster counts versions anew
    UUID self = ignite.cluster().localNode().id();
    if (v != topVer || gen != listGen || !self.equals(topSelf)) {
      Collection<ClusterNode> nodes = ignite.cluster().forServers().nodes();
      List<Worker> list = new ArrayList<>();
      for (ClusterNode n : nodes) {
        if (FlareAttributes.isFlareNode(n) && node.isReady(n.id())) {
          list.add(new Worker(n.id(), FlareAttributes.resources(n)));
        }
      }
      servers = List.copyOf(list);
      topSelf = self;
      listGen = gen;
      topVer = v;
    }
    return servers;
  }

  /**
   * Checks that some server offers {@code resources}.
   *
   * @throws IllegalArgumentException naming the resource when none does
   */
  void checkFeasible(Map<String, Double> resources, String function) {
    List<Worker> all = servers();
    if (all.isEmpty()) {
      all = awaitReadyServers();
    }
    if (all.isEmpty()) {
      throw new IllegalStateException(
          "No Flare server node in the cluster to run "
              + function
              + ": start a server node with the flare-ignite-plugin jar on its classpath");
    }
    if (resources.isEmpty()) {
      return;
    }
    for (Worker w : all) {
      if (offers(w, resources)) {
        return;
      }
    }
    // A server that just joined takes work once it answered this node's handshake: wait for the
    // Flare servers in the topology that have not yet (at most 10 s), then look again.
    // (The cached list is rebuilt first: a handshake that completed while it was being built may
    // be missing from it.)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      topVer = -1;
      all = servers();
      for (Worker w : all) {
        if (offers(w, resources)) {
          return;
        }
      }
      if (!unready() || System.nanoTime() >= deadline) {
        break;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<Map<String, Double>> offered = all.stream().map(Worker::resources).toList();
    throw new IllegalArgumentException(
        "No Flare server node offers the resources "
            + resources
            + " that "
            + function
            + " asks for; nodes offer "
            + offered);
  }

  /**
   * Right after this node joined, servers may not have answered its HELLO yet: wait (at most 10 s)
   * while Flare servers are in the topology but none is ready.
   */
  private List<Worker> awaitReadyServers() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      boolean anyFlareServer = false;
      for (ClusterNode n : ignite.cluster().forServers().nodes()) {
        anyFlareServer |= FlareAttributes.isFlareNode(n);
      }
      if (!anyFlareServer) {
        return List.of();
      }
      topVer = -1;
      List<Worker> all = servers();
      if (!all.isEmpty()) {
        return all;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
    }
    return servers();
  }

  /** Whether server {@code id}, ready for work, offers {@code resources}. */
  boolean offers(UUID id, Map<String, Double> resources) {
    for (Worker w : servers()) {
      if (w.id().equals(id)) {
        return offers(w, resources);
      }
    }
    return false;
  }

  /** Whether some Flare server in the topology has not answered this node's handshake yet. */
  private boolean unready() {
    for (ClusterNode n : ignite.cluster().forServers().nodes()) {
      if (FlareAttributes.isFlareNode(n) && !node.isReady(n.id())) {
        return true;
      }
    }
    return false;
  }

  private static boolean offers(Worker w, Map<String, Double> need) {
    for (Map.Entry<String, Double> e : need.entrySet()) {
      Double have = w.resources().get(e.getKey());
      if (have == null || have < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The node for a task, or {@code null} if no server can take it now. */
  UUID pick(PendingTask task, Object[] args) {
    List<Worker> all = servers();
    Map<String, Double> need = task.options.resources();
    UUID local = node.localId();
    // Locality: the node holding the largest stored argument.
    StoredLocation biggest = null;
    for (Object a : args) {
      if (a instanceof StoredLocation l
          && l.size() >= LOCALITY_THRESHOLD
          && (biggest == null || l.size() > biggest.size())) {
        biggest = l;
      }
    }
    if (biggest != null) {
      ClusterNode holder = node.store().primaryNode(biggest);
      if (holder != null) {
        for (Worker w : all) {
          if (w.id().equals(holder.id()) && offers(w, need) && !departed.contains(w.id())) {
            return take(w.id());
          }
        }
      }
    }
    Worker best = null;
    int bestLoad = Integer.MAX_VALUE;
    int n = all.size();
    int start = n == 0 ? 0 : Math.floorMod(rotor++, n);
    for (int i = 0; i < n; i++) {
      Worker w = all.get((start + i) % n);
      if ((!need.isEmpty() && !offers(w, need)) || departed.contains(w.id())) {
        continue;
      }
      int load = load(w.id());
      if (load < bestLoad || (load == bestLoad && w.id().equals(local))) {
        best = w;
        bestLoad = load;
      }
    }
    return best == null ? null : take(best.id());
  }

  private int load(UUID id) {
    AtomicInteger c = inflight.get(id);
    return c == null ? 0 : c.get();
  }

  private UUID take(UUID id) {
    inflight.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    return id;
  }

  /** A task sent to {@code id} finished (or its node left). */
  void release(UUID id) {
    AtomicInteger c = inflight.get(id);
    if (c != null) {
      c.decrementAndGet();
    }
  }

  /** Nodes seen leaving; marked before the owner scans its tasks on them. */
  private final java.util.Set<UUID> departed = ConcurrentHashMap.newKeySet();

  /** A node's Flare answered: schedule on it from now on. */
  void nodeReady() {
    readyGen.incrementAndGet();
    topVer = -1;
  }

  void nodeLeft(UUID id) {
    departed.add(id);
    inflight.remove(id);
    topVer = -1;
  }

  /** True once {@code id} left (or is not in the topology): a task sent there must go elsewhere. */
  boolean isGone(UUID id) {
    return departed.contains(id) || ignite.cluster().node(id) == null;
  }
}
