package io.flare.bench;

/** Where the benchmark's driver runs. */
public enum Side {
  /** On the server node itself, as after {@code Flare.init()}. */
  EMBEDDED(""),
  /** On a thick client node in the same JVM, joined to the server over loopback. */
  CLIENT("_client"),
  /**
   * On a thick client node in this JVM, joined to a server node in a separate JVM ({@link
   * ServerJvm}), so values cross a real process boundary.
   */
  CLIENT_JVM("_client_jvm");

  private final String suffix;

  Side(String suffix) {
    this.suffix = suffix;
  }

  /** What the benchmark's name ends with on this side. */
  public String suffix() {
    return suffix;
  }
}
