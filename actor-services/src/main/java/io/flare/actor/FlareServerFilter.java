package io.flare.actor;

import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgnitePredicate;

/** Places actor shards on server nodes that run Flare (and offer the resources a group needs). */
public final class FlareServerFilter implements IgnitePredicate<ClusterNode> {
  private static final long serialVersionUID = 1L;

  @Override
  public boolean apply(ClusterNode n) {
    return !n.isClient() && n.attribute("flare.version") != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlareServerFilter;
  }

  @Override
  public int hashCode() {
    return 1;
  }
}
