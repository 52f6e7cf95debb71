package io.flare.cluster;

import io.flare.api.Flare;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;

/**
 * Client drivers in the test JVM. The Spring XML under {@code config/} reads its settings from
 * system properties, which are global to the JVM: these helpers set them only while the node starts
 * (Ignite reads the XML during {@code start}), then put the old values back, one start at a time.
 */
final class Drivers {
  private Drivers() {}

  /**
   * {@code Flare.init(xml)} with {@code properties} set while it runs; returns the Ignite node it
   * started (named by {@code flare.instance.name}).
   */
  static Ignite initFlare(Path xml, Map<String, String> properties) {
    withSystemProperties(
        properties,
        () -> {
          Flare.init(xml.toString());
          return null;
        });
    String name = properties.getOrDefault("flare.instance.name", "flare-client");
    return Ignition.ignite(name);
  }

  /** {@code Ignition.start(xml)} with {@code properties} set while it runs. */
  static Ignite startIgnite(Path xml, Map<String, String> properties) {
    return withSystemProperties(properties, () -> Ignition.start(xml.toString()));
  }

  /** Runs {@code body} with the given system properties set, then restores the previous values. */
  static synchronized <T> T withSystemProperties(Map<String, String> properties, Supplier<T> body) {
    Map<String, String> previous = new HashMap<>();
    properties.forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
    try {
      return body.get();
    } finally {
      previous.forEach(
          (k, v) -> {
            if (v == null) {
              System.clearProperty(k);
            } else {
              System.setProperty(k, v);
            }
          });
    }
  }
}
