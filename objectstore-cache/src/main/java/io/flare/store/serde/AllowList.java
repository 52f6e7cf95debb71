package io.flare.store.serde;

import io.flare.api.exception.FlareSerializationException;
import java.util.List;
import java.util.Objects;

/**
 * The class-name prefixes a node accepts when it deserializes; empty means every class. JDK basics,
 * primitive arrays and Flare's own classes are always accepted. Immutable.
 */
final class AllowList {
  static final AllowList OFF = new AllowList(List.of());

  static final List<String> ALWAYS_ALLOWED =
      List.of("java.lang.", "java.util.", "java.time.", "java.math.", "io.flare.");

  private final List<String> prefixes;

  private AllowList(List<String> prefixes) {
    this.prefixes = prefixes;
  }

  static AllowList of(List<String> prefixes) {
    Objects.requireNonNull(prefixes, "prefixes");
    for (String prefix : prefixes) {
      if (prefix == null || prefix.isBlank()) {
        throw new IllegalArgumentException(
            "allowed class prefixes must not be null or blank, got " + prefixes);
      }
    }
    return prefixes.isEmpty() ? OFF : new AllowList(List.copyOf(prefixes));
  }

  List<String> prefixes() {
    return prefixes;
  }

  boolean allows(String className) {
    if (prefixes.isEmpty()) {
      return true;
    }
    String name = elementClassName(className);
    if (name == null) {
      return true;
    }
    return startsWithAny(name, ALWAYS_ALLOWED) || startsWithAny(name, prefixes);
  }

  /** Throws when {@code className} is not allowed on this node. */
  void check(String className) {
    if (!allows(className)) {
      throw new FlareSerializationException(
          "Cannot deserialize: class "
              + className
              + " is not allowed on this node (allowed class prefixes: "
              + prefixes
              + ", plus "
              + ALWAYS_ALLOWED
              + ")");
    }
  }

  /**
   * The name of the class an array's elements have ({@code "[[Lcom.foo.Bar;"} gives {@code
   * "com.foo.Bar"}), the name itself for a non-array, or null for an array of primitives.
   */
  static String elementClassName(String className) {
    int dims = 0;
    while (dims < className.length() && className.charAt(dims) == '[') {
      dims++;
    }
    if (dims == 0) {
      return className;
    }
    if (className.charAt(dims) == 'L' && className.endsWith(";")) {
      return className.substring(dims + 1, className.length() - 1);
    }
    return null;
  }

  private static boolean startsWithAny(String name, List<String> candidates) {
    for (String prefix : candidates) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
