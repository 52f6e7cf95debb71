package io.flare.api;

import java.util.List;
import java.util.Optional;

/**
 * What the calling code can learn about where it runs. Obtain with {@link
 * Flare#getRuntimeContext()}.
 */
public interface RuntimeContext {

  /** The id of the node this code runs on. */
  String getCurrentNodeId();

  /** The id of the task this code runs in; empty in a driver or an actor method. */
  Optional<String> getCurrentTaskId();

  /** The id of the actor whose method or constructor this code runs in; empty elsewhere. */
  Optional<String> getCurrentActorId();

  /** True inside an actor that was re-created after its node died (its constructor ran again). */
  boolean wasCurrentActorRestarted();

  /** Every node of the cluster, servers and clients. */
  List<NodeInfo> getAllNodeInfo();
}
