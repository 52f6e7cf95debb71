package io.flare.api;

import io.flare.api.spi.FlareRuntimeSpi;
import io.flare.api.spi.FlareRuntimes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Shared checks and state of the call builders. */
final class CallArgs {
  private CallArgs() {}

  static <F> F requireFunction(F f) {
    return Objects.requireNonNull(f, "the function (method reference or lambda) must not be null");
  }

  static Map<String, Double> addResource(Map<String, Double> resources, String name, double qty) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("resource name must not be null or blank");
    }
    if (!(qty >= 0) || Double.isInfinite(qty)) {
      throw new IllegalArgumentException(
          "resource '" + name + "' quantity must be a finite number >= 0, got " + qty);
    }
    Map<String, Double> copy = new LinkedHashMap<>(resources);
    copy.put(name, qty);
    return copy;
  }

  static FlareRuntimeSpi runtime(FlareRuntimeSpi bound) {
    return bound != null && bound.isRunning() ? bound : FlareRuntimes.current();
  }
}
