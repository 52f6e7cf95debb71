package io.flare.actor;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connects the {@link ActorHostService} instances Ignite deploys on a node to that node's Flare
 * runtime. A shard that comes up before the runtime registers is remembered and handed over at
 * registration.
 */
public final class ShardHosts {
  /** The runtime side: told when this node starts or stops hosting a shard. */
  public interface Listener {
    void shardUp(int shard);

    void shardDown(int shard);
  }

  private static final Map<String, Listener> LISTENERS = new ConcurrentHashMap<>();
  private static final Map<String, Set<Integer>> EARLY = new ConcurrentHashMap<>();

  private ShardHosts() {}

  private static String key(String igniteName) {
    return igniteName == null ? "" : igniteName;
  }

  public static void register(String igniteName, Listener l) {
    Set<Integer> early;
    synchronized (ShardHosts.class) {
      LISTENERS.put(key(igniteName), l);
      early = EARLY.remove(key(igniteName));
    }
    if (early != null) {
      for (int s : early) {
        l.shardUp(s);
      }
    }
  }

  public static void unregister(String igniteName) {
    synchronized (ShardHosts.class) {
      LISTENERS.remove(key(igniteName));
      EARLY.remove(key(igniteName));
    }
  }

  static void up(String igniteName, int shard) {
    Listener l;
    synchronized (ShardHosts.class) {
      l = LISTENERS.get(key(igniteName));
      if (l == null) {
        EARLY.computeIfAbsent(key(igniteName), k -> new HashSet<>()).add(shard);
        return;
      }
    }
    l.shardUp(shard);
  }

  static void down(String igniteName, int shard) {
    Listener l;
    synchronized (ShardHosts.class) {
      Set<Integer> early = EARLY.get(key(igniteName));
      if (early != null) {
        early.remove(shard);
      }
      l = LISTENERS.get(key(igniteName));
    }
    if (l != null) {
      l.shardDown(shard);
    }
  }
}
