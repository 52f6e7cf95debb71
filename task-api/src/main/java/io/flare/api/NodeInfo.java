package io.flare.api;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/** A node of the cluster as Flare sees it. Immutable. */
public final class NodeInfo implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String id;
  private final String host;
  private final boolean server;
  private final Map<String, Double> resources;

  public NodeInfo(String id, String host, boolean server, Map<String, Double> resources) {
    this.id = Objects.requireNonNull(id, "id");
    this.host = Objects.requireNonNull(host, "host");
    this.server = server;
    this.resources = Map.copyOf(resources);
  }

  /** The node's id (Ignite's node id). */
  public String getId() {
    return id;
  }

  /** The address the node is reached at. */
  public String getHost() {
    return host;
  }

  /** True for server nodes (which run tasks and actors), false for client nodes. */
  public boolean isServer() {
    return server;
  }

  /** The node's resources, such as {@code CPU}; empty for clients. */
  public Map<String, Double> getResources() {
    return resources;
  }

  @Override
  public String toString() {
    return "NodeInfo{"
        + id
        + ", "
        + host
        + (server ? ", server" : ", client")
        + ", "
        + resources
        + "}";
  }
}
