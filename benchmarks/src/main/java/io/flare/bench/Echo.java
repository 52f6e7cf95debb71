package io.flare.bench;

/** What the peer's trivial service ({@link EchoService}) offers, for a service proxy. */
public interface Echo {
  /** The smallest call. */
  int small();
}
