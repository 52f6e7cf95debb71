package io.flare.plugin;

import io.flare.plugin.internal.FlareNode;
import org.apache.ignite.plugin.IgnitePlugin;

/** The plugin instance of one node: {@code ignite.plugin("flare")}. */
public final class FlarePlugin implements IgnitePlugin {
  private volatile FlareNode node;

  FlarePlugin() {}

  void setNode(FlareNode node) {
    this.node = node;
  }

  /**
   * Flare on this node. INTERNAL API: use {@link IgniteFlare#attach}.
   *
   * @throws IllegalStateException before the node finished starting
   */
  public FlareNode node() {
    FlareNode n = node;
    if (n == null) {
      throw new IllegalStateException("Flare has not started on this Ignite node yet");
    }
    return n;
  }
}
