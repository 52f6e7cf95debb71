package io.flare.examples;

import io.flare.api.Flare;
import io.flare.api.NodeInfo;
import java.util.Locale;

/** What every example needs besides Flare itself: timing, formatting, self-checks. */
final class ExampleSupport {
  /** The resource that counts a node's worker slots. */
  static final String CPU = "CPU";

  private ExampleSupport() {}

  /**
   * How many tasks the cluster runs at once: the {@code CPU} resource summed over the server nodes.
   * An embedded node has one slot per core. Requires a started Flare.
   */
  static int workerSlots() {
    double slots = 0;
    for (NodeInfo node : Flare.getRuntimeContext().getAllNodeInfo()) {
      if (node.isServer()) {
        slots += node.getResources().getOrDefault(CPU, 0.0);
      }
    }
    return (int) slots;
  }

  /** Seconds since {@code startNanos}, a {@link System#nanoTime()} reading. */
  static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** {@code 1.02 s}. */
  static String seconds(double seconds) {
    return String.format(Locale.ROOT, "%.2f s", seconds);
  }

  /** Throws {@link IllegalStateException} with {@code message} unless {@code ok}. */
  static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }
}
