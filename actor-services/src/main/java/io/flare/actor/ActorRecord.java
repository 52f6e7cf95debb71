package io.flare.actor;

/**
 * An actor as the registry keeps it, so that a host on another node can re-create it: how to
 * construct it (constructor identity and serialized arguments, each a {@code byte[]} or a stored
 * location), its options, and its life so far. Stored in the {@value ActorDirectory#ACTORS} cache.
 */
public final class ActorRecord {
  public String id;
  public String className;
  public String ctorClass;
  public String ctorMethod;
  public String ctorSignature;
  public int ctorKind;

  /** The constructor's arguments, encoded by the runtime (values or store locations). */
  public byte[] args;

  /**
   * For each constructor argument given as an {@code ObjectRef}, the ref as {@code owner/objectId}
   * (null elsewhere): a restart that finds the resolved value lost reads it through the ref again,
   * which re-creates a lost task result from its lineage.
   */
  public String[] argRefs;

  /**
   * Every ref the actor holds for its restarts ({@code owner/objectId}): its constructor's ref
   * arguments and the refs nested in them. Given back when the actor dies for good.
   */
  public String[] retained;

  /**
   * Set only on the record an update returns, when that update is the one that made the actor dead
   * (never stored): its caller gives back what the actor held, exactly once.
   */
  public boolean justDied;

  public String name;
  public int shard;
  public int maxRestarts;
  public int maxTaskRetries;
  public int maxPendingCalls;

  /** How often it was constructed: 0 = not yet, 1 = first instance, 2+ = restarted. */
  public int incarnation;

  /** Restarts used so far. */
  public int restarts;

  /** Set when the actor is dead for good; the reason. */
  public String deathReason;

  /** When it died for good (the registry's node's clock, ms since the epoch); 0 while alive. */
  public long diedAtMillis;

  /** The node that created the actor (its owner). */
  public java.util.UUID owner;

  /** The node whose application classes the actor's class comes from. */
  public java.util.UUID origin;

  /**
   * Marks this (copied) record dead; returns what an update gives its caller: a copy that still
   * names what the actor held, flagged {@link #justDied}. This record keeps the reason and drops
   * the arguments (no restart will read them).
   */
  public ActorRecord die(String reason) {
    deathReason = reason;
    diedAtMillis = System.currentTimeMillis();
    ActorRecord out = copy();
    out.justDied = true;
    args = null;
    argRefs = null;
    retained = null;
    return out;
  }

  public boolean isDead() {
    return deathReason != null;
  }

  /** True if one more restart is allowed. */
  public boolean mayRestart() {
    return maxRestarts < 0 || restarts < maxRestarts;
  }

  public ActorRecord copy() {
    ActorRecord r = new ActorRecord();
    r.id = id;
    r.className = className;
    r.ctorClass = ctorClass;
    r.ctorMethod = ctorMethod;
    r.ctorSignature = ctorSignature;
    r.ctorKind = ctorKind;
    r.args = args;
    r.argRefs = argRefs;
    r.retained = retained;
    r.name = name;
    r.shard = shard;
    r.maxRestarts = maxRestarts;
    r.maxTaskRetries = maxTaskRetries;
    r.maxPendingCalls = maxPendingCalls;
    r.incarnation = incarnation;
    r.restarts = restarts;
    r.deathReason = deathReason;
    r.diedAtMillis = diedAtMillis;
    r.owner = owner;
    r.origin = origin;
    return r;
  }
}
