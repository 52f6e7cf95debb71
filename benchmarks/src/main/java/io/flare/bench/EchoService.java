package io.flare.bench;

import org.apache.ignite.services.Service;

/** The raw peer's trivial Ignite service: one method that returns at once. */
public final class EchoService implements Service, Echo {
  private static final long serialVersionUID = 1L;

  @Override
  public int small() {
    return 0;
  }
}
