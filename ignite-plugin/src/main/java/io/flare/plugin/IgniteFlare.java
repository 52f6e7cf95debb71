package io.flare.plugin;

import io.flare.plugin.internal.IgniteRuntimeFactory;
import java.util.Objects;
import org.apache.ignite.Ignite;

/** Flare for code that already holds an {@code Ignite} node with the plugin. */
public final class IgniteFlare {
  private IgniteFlare() {}

  /**
   * The Flare runtime of {@code ignite}. The node keeps running when the caller is done with it:
   * stop it the usual Ignite way.
   *
   * @throws io.flare.api.exception.FlareException when the node runs without the Flare plugin
   */
  public static FlareRuntime attach(Ignite ignite) {
    Objects.requireNonNull(ignite, "ignite");
    return new FlareRuntime(IgniteRuntimeFactory.nodeOf(ignite));
  }
}
