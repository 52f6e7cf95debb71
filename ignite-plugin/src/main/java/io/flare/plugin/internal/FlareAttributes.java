package io.flare.plugin.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.ignite.cluster.ClusterNode;

/** The node attributes through which Flare nodes recognise each other and their resources. */
public final class FlareAttributes {
  /** Flare's version on a node; absent on nodes without the plugin. */
  public static final String VERSION = "flare.version";

  /** The high half of every object id the node makes, so others can free its objects. */
  public static final String ID_PREFIX = "flare.idprefix";

  /** The id prefix a node advertises, or {@code null}. */
  public static Long idPrefix(ClusterNode n) {
    Object v = n.attribute(ID_PREFIX);
    return v instanceof Long l ? l : null;
  }

  /** The node's {@code actorShards}: every node must have the same (ids map to shards by it). */
  public static final String ACTOR_SHARDS = "flare.actorShards";

  /** A server's {@code putBackups}: every server must have the same (one cache holds puts). */
  public static final String PUT_BACKUPS = "flare.putBackups";

  /** The node's resources, as {@code CPU=2.0,GPU=1.0}. */
  public static final String RESOURCES = "flare.resources";

  private FlareAttributes() {}

  public static boolean isFlareNode(ClusterNode n) {
    return n.attribute(VERSION) != null;
  }

  public static String encode(Map<String, Double> resources) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Double> e : resources.entrySet()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString();
  }

  public static Map<String, Double> resources(ClusterNode n) {
    Map<String, Double> map = new LinkedHashMap<>();
    Object attr = n.attribute(RESOURCES);
    if (attr instanceof String s && !s.isEmpty()) {
      for (String part : s.split(",")) {
        int eq = part.lastIndexOf('=');
        if (eq > 0) {
          map.put(part.substring(0, eq), Double.parseDouble(part.substring(eq + 1)));
        }
      }
    }
    return map;
  }
}
