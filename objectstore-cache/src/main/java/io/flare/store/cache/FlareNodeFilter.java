package io.flare.store.cache;

import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgnitePredicate;

/**
 * Keeps Flare's caches (and actor shards) on server nodes that run Flare, so a cluster may also
 * hold servers without the plugin: they need neither Flare's data region nor its classes.
 */
public final class FlareNodeFilter implements IgnitePredicate<ClusterNode> {
  private static final long serialVersionUID = 1L;

  /** The node attribute every Flare node advertises. */
  public static final String ATTRIBUTE = "flare.version";

  @Override
  public boolean apply(ClusterNode n) {
    return !n.isClient() && n.attribute(ATTRIBUTE) != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlareNodeFilter;
  }

  @Override
  public int hashCode() {
    return 7;
  }
}
