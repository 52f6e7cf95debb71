package io.flare.api.spi;

import java.util.Map;

/**
 * The options of one actor creation. Immutable.
 *
 * @param name a cluster-unique name, or {@code null}
 * @param maxRestarts how often the actor is re-created after its node died; -1 = no limit
 * @param maxTaskRetries how often a call in flight when the actor died is re-sent; -1 = no limit
 * @param resources resources the actor needs on its node
 * @param maxPendingCalls the most calls pending on one handle before {@code remote()} throws; -1 =
 *     no limit
 */
public record ActorOptions(
    String name,
    int maxRestarts,
    int maxTaskRetries,
    Map<String, Double> resources,
    int maxPendingCalls) {
  public static final ActorOptions DEFAULT = new ActorOptions(null, 0, 0, Map.of(), -1);

  public ActorOptions {
    resources = Map.copyOf(resources);
    if (maxRestarts < -1) {
      throw new IllegalArgumentException(
          "maxRestarts must be >= -1 (-1 = no limit), got " + maxRestarts);
    }
    if (maxTaskRetries < -1) {
      throw new IllegalArgumentException(
          "maxTaskRetries must be >= -1 (-1 = no limit), got " + maxTaskRetries);
    }
    if (maxPendingCalls < -1 || maxPendingCalls == 0) {
      throw new IllegalArgumentException(
          "maxPendingCalls must be positive or -1 (no limit), got " + maxPendingCalls);
    }
  }
}
