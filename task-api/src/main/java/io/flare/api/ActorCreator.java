package io.flare.api;

import io.flare.api.spi.ActorOptions;
import io.flare.api.spi.FlareRuntimeSpi;
import java.io.Serializable;
import java.util.Map;

/** An actor creation being prepared; {@link #remote()} creates it. Options return {@code this}. */
public final class ActorCreator<A> {
  private final FlareRuntimeSpi runtime;
  private final Serializable constructor;
  private final Object[] args;
  private String name;
  private int maxRestarts;
  private int maxTaskRetries;
  private Map<String, Double> resources = Map.of();
  private int maxPendingCalls = -1;

  /** For runtimes and generated code; applications get creators from {@code Flare.actor}. */
  public ActorCreator(FlareRuntimeSpi runtime, Serializable constructor, Object[] args) {
    this.runtime = runtime;
    this.constructor = CallArgs.requireFunction(constructor);
    this.args = args;
  }

  /**
   * Creates the actor somewhere in the cluster and returns its handle at once; the constructor runs
   * when its {@link ObjectRef} arguments are ready. Calls made before it finished wait for it.
   *
   * @throws IllegalArgumentException when a named actor of that name is alive
   */
  public ActorHandle<A> remote() {
    return CallArgs.runtime(runtime)
        .createActor(
            constructor,
            args,
            new ActorOptions(name, maxRestarts, maxTaskRetries, resources, maxPendingCalls));
  }

  /** Makes the actor findable with {@link Flare#getActor(String)}; unique in the cluster. */
  public ActorCreator<A> setName(String name) {
    if (name != null && name.isBlank()) {
      throw new IllegalArgumentException("actor name must not be blank");
    }
    this.name = name;
    return this;
  }

  /** How often the actor is re-created after its node died (default 0; -1 = no limit). */
  public ActorCreator<A> setMaxRestarts(int maxRestarts) {
    if (maxRestarts < -1) {
      throw new IllegalArgumentException(
          "maxRestarts must be >= -1 (-1 = no limit), got " + maxRestarts);
    }
    this.maxRestarts = maxRestarts;
    return this;
  }

  /** How often a call in flight when the actor died is re-sent (default 0; -1 = no limit). */
  public ActorCreator<A> setMaxTaskRetries(int maxTaskRetries) {
    if (maxTaskRetries < -1) {
      throw new IllegalArgumentException(
          "maxTaskRetries must be >= -1 (-1 = no limit), got " + maxTaskRetries);
    }
    this.maxTaskRetries = maxTaskRetries;
    return this;
  }

  /** A resource the actor needs on its node. */
  public ActorCreator<A> setResource(String name, double quantity) {
    this.resources = CallArgs.addResource(resources, name, quantity);
    return this;
  }

  /**
   * The most calls that may be pending on one handle of this actor; past it {@code remote()} throws
   * {@link io.flare.api.exception.FlareException}. Default: no limit.
   */
  public ActorCreator<A> setMaxPendingCalls(int maxPendingCalls) {
    if (maxPendingCalls < -1 || maxPendingCalls == 0) {
      throw new IllegalArgumentException(
          "maxPendingCalls must be positive or -1 (no limit), got " + maxPendingCalls);
    }
    this.maxPendingCalls = maxPendingCalls;
    return this;
  }
}
