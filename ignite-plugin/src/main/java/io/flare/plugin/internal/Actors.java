package io.flare.plugin.internal;

import io.flare.actor.ActorDirectory;
import io.flare.actor.ActorHandleImpl;
import io.flare.actor.ActorRecord;
import io.flare.actor.Mailbox;
import io.flare.actor.ShardHosts;
import io.flare.api.ActorHandle;
import io.flare.api.exception.FlareException;
import io.flare.api.spi.ActorOptions;
import io.flare.api.spi.FlareRuntimeSpi;
import io.flare.api.spi.FlareRuntimes;
import io.flare.store.ObjectId;
import io.flare.store.ObjectRefImpl;
import java.lang.invoke.MethodHandleInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Actors on this node: the caller side (creating actors, sending calls in order, routing them to
 * the node hosting the actor's shard, retrying when that node dies) and the host side (the actors
 * of the shards Ignite placed here, each with its {@link Mailbox}).
 *
 * <p>An actor call is owned by its caller like a task: its result comes back as a task result and
 * lives in the caller's object table. Calls carry (caller node, sequence, low watermark) so the
 * host's mailbox runs each caller's calls in the order they were made. Constructors and methods run
 * on Flare's worker pool; registry reads and writes on this class's admin thread; never on an
 * Ignite thread.
 */
final class Actors implements ShardHosts.Listener {
  /** How long a call waits for its actor's shard to get a host before it fails. */
  private static final long ROUTE_TIMEOUT_MS = 60_000;

  private final FlareNode node;
  private final ActorDirectory dir;
  private final ExecutorService admin;
  private final ScheduledExecutorService timer;

  /** Host side: shards placed here, and their live actors. */
  private final Set<Integer> hostedShards = ConcurrentHashMap.newKeySet();

  private final ConcurrentHashMap<String, Hosted> hosted = new ConcurrentHashMap<>();

  /** Caller side: per actor, this node's call sequence and pending calls. */
  private final ConcurrentHashMap<String, CallerState> callers = new ConcurrentHashMap<>();

  private static final class CallerState {
    final AtomicLong seq = new AtomicLong();
    final ConcurrentSkipListSet<Long> pending = new ConcurrentSkipListSet<>();

    /** The highest sequence number of a call that ended without running on the actor. */
    final AtomicLong failedUpTo = new AtomicLong();

    /** The highest watermark sent to the host in a SYNC. */
    final AtomicLong synced = new AtomicLong();

    long low() {
      Long first = pending.isEmpty() ? null : pending.first();
      return first != null ? first : seq.get() + 1;
    }
  }

  /** An actor hosted here. */
  private final class Hosted {
    final String id;
    final Mailbox<TaskSpec> mailbox;
    final boolean restarted;
    final UUID owner;
    volatile Object instance;
    volatile ErrorInfo dead;

    /** The call running now and its thread, guarded by this object's lock; null between calls. */
    private ObjectId running;

    private Thread runner;

    Hosted(String id, boolean restarted, UUID owner) {
      this.id = id;
      this.restarted = restarted;
      this.owner = owner;
      this.mailbox = new Mailbox<>(node.workerExecutor(), spec -> runCall(this, spec));
    }
  }

  /**
   * Calls cancelled by their owner before they ran here: skipped when their turn comes. Bounded (a
   * cancel of a call that already ran leaves its id behind until it ages out).
   */
  private final Set<ObjectId> cancelledCalls =
      java.util.Collections.synchronizedSet(
          java.util.Collections.newSetFromMap(
              new java.util.LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ObjectId, Boolean> eldest) {
                  return size() > 10_000;
                }
              }));

  /**
   * Watermark moves ({@code SYNC}) that arrived before their actor was set up here, by actor and
   * caller: applied to its mailbox when it is.
   */
  private final ConcurrentHashMap<String, ConcurrentHashMap<UUID, Long>> pendingSyncs =
      new ConcurrentHashMap<>();

  Actors(FlareNode node, int shards) {
    this.node = node;
    this.dir = new ActorDirectory(node.ignite(), shards);
    String name = String.valueOf(node.ignite().name());
    this.admin =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "flare-actor-admin-" + name);
              t.setDaemon(true);
              t.setContextClassLoader(node.loader());
              return t;
            });
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "flare-actor-timer-" + name);
              t.setDaemon(true);
              return t;
            });
    ShardHosts.register(node.ignite().name(), this);
    if (!node.ignite().cluster().localNode().isClient()) {
      this.watch =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "flare-actor-watch-" + name);
                t.setDaemon(true);
                return t;
              });
      watch.scheduleWithFixedDelay(this::watchShards, 1, 1, TimeUnit.SECONDS);
      watch.scheduleWithFixedDelay(() -> sweepDead(DEAD_RECORD_GRACE_MS), 10, 10, TimeUnit.SECONDS);
    } else {
      this.watch = null;
    }
  }

  /** How long the record of a dead actor stays, so late calls learn how it died. */
  static final long DEAD_RECORD_GRACE_MS = 60_000;

  /**
   * Drops the registry records (in this node's partitions) of actors dead for good more than {@code
   * graceMillis} ago; every 10 s on servers. Returns how many.
   */
  int sweepDead(long graceMillis) {
    try {
      return node.isRunning() ? dir.removeDeadBefore(System.currentTimeMillis() - graceMillis) : 0;
    } catch (RuntimeException e) {
      if (node.isRunning()) {
        node.ignite().log().warning("Flare: dropping the records of dead actors failed: " + e);
      }
      return 0;
    }
  }

  /** Records in the actor registry, cluster-wide. */
  long registrySize() {
    return dir.size();
  }

  /** True if this server's shard watch has seen {@code shard} up (so it would notice its loss). */
  boolean watchedUp(int shard) {
    return watch != null && dir.seenHosted(shard);
  }

  /** Redeploys hostless shards (server nodes only; see {@link #watchShards}). */
  private final java.util.concurrent.ScheduledExecutorService watch;

  /**
   * How long a shard may stay without a live host, with the topology unchanged, before the oldest
   * server redeploys it. Ignite re-places a departed node's singletons well within a second here;
   * the margin is for a loaded cluster, where redeploying a shard Ignite is still placing would
   * re-create its actors twice (two restarts used).
   */
  static final long HOSTLESS_GRACE_NANOS = TimeUnit.SECONDS.toNanos(15);

  /**
   * Every second, on every server (each learns which shards were up), acted on by the oldest: a
   * shard that has had no live host for {@link #HOSTLESS_GRACE_NANOS} is deployed again (Ignite may
   * leave cluster singletons of nodes that left together deployed nowhere, apache/ignite#12315;
   * their actors would then be unreachable).
   */
  private void watchShards() {
    try {
      if (!node.isRunning()) {
        return;
      }
      org.apache.ignite.cluster.ClusterNode oldest =
          node.ignite().cluster().forServers().forOldest().node();
      List<Integer> redone =
          dir.redeployHostless(HOSTLESS_GRACE_NANOS, oldest != null && oldest.isLocal());
      if (!redone.isEmpty()) {
        node.ignite()
            .log()
            .warning(
                "Flare: actor shards "
                    + redone
                    + " had no live host for "
                    + TimeUnit.NANOSECONDS.toSeconds(HOSTLESS_GRACE_NANOS)
                    + " s after the last topology change (Ignite did not re-place them); deployed"
                    + " them again");
      }
    } catch (RuntimeException e) {
      if (node.isRunning()) {
        node.ignite().log().warning("Flare: checking the actor shards' hosts failed: " + e);
      }
    }
  }

  void stop() {
    ShardHosts.unregister(node.ignite().name());
    for (Hosted h : hosted.values()) {
      h.mailbox.close();
    }
    hosted.clear();
    admin.shutdownNow();
    timer.shutdownNow();
    if (watch != null) {
      watch.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ caller side

  <A> ActorHandle<A> create(java.io.Serializable ctor, Object[] args, ActorOptions options) {
    Functions.Described described = Functions.describe(ctor, "Flare.actor");
    FunctionDescriptor fd = described.descriptor();
    String className = actorClassName(fd);
    node.checkFeasible(options.resources(), fd.displayName());
    dir.ensureDeployed();
    String id = placedId(options.resources(), fd.displayName());
    int shard = dir.shardOf(id);
    List<Message.Contained> nested = new java.util.ArrayList<>(0);
    Object[] encoded = node.encodeArgs(args, described.refParameters(), fd.displayName(), nested);
    // Every ref among the constructor's arguments — nested in them, passed as an argument, or made
    // for a large array argument — lives as long as the actor may restart and read it again.
    String[] argRefs = null;
    for (int i = 0; i < encoded.length; i++) {
      if (encoded[i] instanceof ObjectRefImpl<?> ref) {
        nested.add(new Message.Contained(ref.objectId(), ref.owner()));
        if (argRefs == null) {
          argRefs = new String[encoded.length];
        }
        argRefs[i] = ref.owner() + "/" + ref.objectId();
      }
    }
    node.retainForever(nested);
    ActorRecord r = new ActorRecord();
    r.argRefs = argRefs;
    r.retained = new String[nested.size()];
    for (int i = 0; i < nested.size(); i++) {
      r.retained[i] = nested.get(i).owner() + "/" + nested.get(i).id();
    }
    r.id = id;
    r.className = className;
    r.ctorClass = fd.className();
    r.ctorMethod = fd.methodName();
    r.ctorSignature = fd.signature();
    r.ctorKind = fd.kind();
    r.name = options.name();
    r.shard = shard;
    r.maxRestarts = options.maxRestarts();
    r.maxTaskRetries = options.maxTaskRetries();
    r.maxPendingCalls = options.maxPendingCalls();
    r.owner = node.localId();
    r.origin = node.currentOrigin();
    boolean ready = node.allResolved(encoded);
    if (options.name() != null) {
      // The record goes first (without arguments, so no host starts it yet): a creator racing for
      // the same name then finds this one alive, never an unknown holder it could take over.
      dir.put(r);
      String holder = dir.reserveName(options.name(), id);
      if (holder != null) {
        dir.remove(id);
        throw new IllegalArgumentException(
            "An actor named '" + options.name() + "' already exists (actor " + holder + ")");
      }
    }
    if (ready) {
      r.args = Message.encodeArgs(encoded);
    }
    if (ready || options.name() == null) {
      dir.put(r);
    }
    ActorHandleImpl<A> handle =
        new ActorHandleImpl<>(
            id, className, shard, options.maxPendingCalls(), options.maxTaskRetries(), node);
    if (ready) {
      sendCreate(id, shard, System.currentTimeMillis());
    } else {
      node.resolveArgs(
          encoded,
          resolved ->
              admin.execute(
                  () -> {
                    ActorRecord cur = dir.get(id);
                    if (cur != null && !cur.isDead()) {
                      cur = cur.copy();
                      cur.args = Message.encodeArgs(resolved);
                      dir.put(cur);
                      sendCreate(id, shard, System.currentTimeMillis());
                    }
                  }),
          error ->
              admin.execute(
                  () -> {
                    releaseIfJustDied(
                        dir.markDead(id, "a constructor argument failed: " + error.message()));
                    dir.releaseName(options.name(), id);
                  }));
    }
    return handle;
  }

  /** The class an actor constructor or factory produces. */
  private static String actorClassName(FunctionDescriptor fd) {
    if (fd.isConstructor()) {
      return fd.className();
    }
    String ret = fd.signature().substring(fd.signature().indexOf(')') + 1);
    if (ret.startsWith("L") && ret.endsWith(";")) {
      return ret.substring(1, ret.length() - 1).replace('/', '.');
    }
    throw new IllegalArgumentException(
        "Flare.actor needs a constructor or a factory that returns an object; "
            + fd.displayName()
            + " returns "
            + ret);
  }

  private void sendCreate(String id, int shard, long since) {
    UUID host = readyHost(shard);
    if (host == null) {
      if (System.currentTimeMillis() - since < ROUTE_TIMEOUT_MS && node.isRunning()) {
        timer.schedule(() -> sendCreate(id, shard, since), 20, TimeUnit.MILLISECONDS);
      }
      return; // calls will find the record and create it; a shard that never comes fails them
    }
    node.sendControl(host, new Message.ActorControl(Message.ActorControl.CREATE, id, 0));
  }

  /** Checks a method reference against the actor's class, when both classes load here. */
  void checkMethod(ActorHandleImpl<?> handle, FunctionDescriptor fd) {
    String receiver;
    if (fd.kind() == MethodHandleInfo.REF_invokeStatic) {
      List<String> params = FunctionDescriptor.parameterDescriptors(fd.signature());
      if (params.isEmpty() || !params.get(0).startsWith("L")) {
        throw new IllegalArgumentException(
            fd.displayName() + " cannot be an actor method: its first parameter must be the actor");
      }
      String p = params.get(0);
      receiver = p.substring(1, p.length() - 1).replace('/', '.');
    } else if (fd.isConstructor()) {
      throw new IllegalArgumentException(
          fd.displayName() + " is a constructor, not a method of actor " + handle);
    } else {
      receiver = fd.className();
    }
    try {
      Class<?> actor = Class.forName(handle.className(), false, node.loader());
      Class<?> declaring = Class.forName(receiver, false, node.loader());
      if (!declaring.isAssignableFrom(actor)) {
        throw new IllegalArgumentException(
            "Method "
                + fd.displayName()
                + " is not a method of actor class "
                + handle.className()
                + " (it takes a "
                + receiver
                + ")");
      }
    } catch (ClassNotFoundException | LinkageError e) {
      // cannot tell here; the host checks when it calls
    }
  }

  /** Registers a new call; throws when the handle's pending-call limit is reached. */
  long nextSeq(ActorHandleImpl<?> handle) {
    // Shards are deployed by the first actor created; a handle from elsewhere (an earlier
    // session, another cluster) may be the first thing this cluster hears of actors, and its call
    // must reach a shard to learn the actor is unknown rather than wait for one.
    dir.ensureDeployed();
    CallerState s = callers.computeIfAbsent(handle.getId(), k -> new CallerState());
    int max = handle.maxPendingCalls();
    if (max > 0 && s.pending.size() >= max) {
      throw new io.flare.api.exception.FlareException(
          "Actor "
              + handle
              + " has "
              + s.pending.size()
              + " calls pending from this node, the limit set with setMaxPendingCalls("
              + max
              + "); wait for some results first");
    }
    long seq = s.seq.incrementAndGet();
    s.pending.add(seq);
    return seq;
  }

  /**
   * A call finished (value or error) on the caller side; {@code failed} when it did not run to its
   * end on the actor (it died, was cancelled, or an argument failed), as opposed to a value or an
   * exception the method threw.
   */
  void callDone(PendingTask t, boolean failed) {
    CallerState s = callers.get(t.actor.getId());
    if (s == null) {
      return;
    }
    if (t.node == null || failed) {
      // Never reached the actor (an argument failed, or it was cancelled first), or failed where
      // it was sent (its incarnation was killed or its node died): calls made after it and
      // already sent may wait at the actor's current host for its sequence number. The host is
      // told to move on (SYNC) once this caller's watermark passes it.
      s.failedUpTo.accumulateAndGet(t.seq, Math::max);
    }
    s.pending.remove(t.seq);
    // Also after a call that ran: the watermark of a failed call's SYNC may have been held back by
    // an earlier call whose result had landed but that was still pending here a moment longer
    // (then no later SYNC came, and the calls after the failed one waited for good: 1 in ~12 runs
    // of ActorTest.aCallWhoseArgumentIsCancelled_...).
    long owed = s.failedUpTo.get();
    if (owed == 0 || owed < s.synced.get()) {
      return; // no failed call the host was not told of
    }
    long low = s.low();
    UUID host = readyHost(t.actor.shard());
    if (host != null) {
      try {
        node.sendControl(
            host, new Message.ActorControl(Message.ActorControl.SYNC, t.actor.getId(), low));
        s.synced.accumulateAndGet(low, Math::max);
      } catch (RuntimeException e) {
        // the host left: the next host starts from each caller's watermark anyway
      }
    }
  }

  /**
   * A new actor id. An actor lives on the node hosting its id's shard, so for an actor that asks
   * for resources the id is drawn until its shard's host offers them (the feasibility check has
   * already found such a node).
   *
   * @throws IllegalArgumentException when no node offering the resources hosts a shard
   */
  private String placedId(Map<String, Double> resources, String function) {
    String id = node.newId().toString();
    if (resources.isEmpty()) {
      return id;
    }
    java.util.Set<Integer> tried = new java.util.HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      int shard = dir.shardOf(id);
      if (tried.add(shard)) {
        UUID host = readyHost(shard);
        if (host != null && node.offers(host, resources)) {
          return id;
        }
        if (host == null && System.nanoTime() < deadline) {
          tried.remove(shard); // being (re)deployed: ask again
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlareException("Interrupted while placing an actor of " + function, e);
          }
        }
      }
      if (tried.size() >= dir.shards()) {
        throw new IllegalArgumentException(
            "No node that offers the resources "
                + resources
                + " asked for by "
                + function
                + " hosts actors: actors live on the nodes hosting the "
                + dir.shards()
                + " actor shards (FlarePluginConfiguration.actorShards); raise it so every server"
                + " hosts some");
      }
      id = node.newId().toString();
    }
  }

  /**
   * Gives back the refs an actor held for its restarts, when {@code r} comes from the update that
   * made it dead for good (once: no other update returns it so flagged).
   */
  private void releaseIfJustDied(ActorRecord r) {
    if (r == null || !r.justDied || r.retained == null) {
      return;
    }
    List<Message.Contained> held = new java.util.ArrayList<>(r.retained.length);
    for (String ref : r.retained) {
      int slash = ref.indexOf('/');
      held.add(
          new Message.Contained(
              ObjectId.parse(ref.substring(slash + 1)), UUID.fromString(ref.substring(0, slash))));
    }
    node.releaseRetained(held);
  }

  /** Sends a call whose arguments are ready to the node hosting its actor. */
  void dispatch(Entry e, long since) {
    PendingTask t = e.task;
    if (t.cancelled || e.isDone() || !node.isRunning()) {
      return;
    }
    ActorHandleImpl<?> h = t.actor;
    UUID host = readyHost(h.shard());
    if (host == null) {
      if (System.currentTimeMillis() - since > ROUTE_TIMEOUT_MS) {
        node.completeOwned(
            e,
            died(
                h,
                "no node hosts it: its shard found no Flare server within "
                    + ROUTE_TIMEOUT_MS
                    + " ms"));
      } else {
        timer.schedule(() -> dispatch(e, since), 20, TimeUnit.MILLISECONDS);
      }
      return;
    }
    t.node = host;
    CallerState s = callers.get(h.getId());
    long low = s == null ? t.seq : s.low();
    TaskSpec spec = t.spec.withArgs(t.args).forActor(h.getId(), t.seq, low);
    t.spec = spec;
    if (host.equals(node.localId())) {
      onCall(node.localId(), spec);
    } else {
      node.send(host, Message.ACTOR_CALL, spec);
    }
  }

  /** The host no longer holds the shard: route again shortly. */
  void reroute(Entry e) {
    dir.invalidate(e.task.actor.shard());
    e.task.node = null;
    timer.schedule(() -> dispatch(e, System.currentTimeMillis()), 20, TimeUnit.MILLISECONDS);
  }

  /** The node running a call died: re-send it if allowed, else fail it. */
  void onHostLost(Entry e, UUID left) {
    PendingTask t = e.task;
    int max = t.actor.maxTaskRetries();
    int attempt = t.spec.attempt();
    dir.invalidate(t.actor.shard());
    if (max < 0 || attempt < max) {
      t.spec = t.spec.withAttempt(attempt + 1);
      t.node = null;
      timer.schedule(() -> dispatch(e, System.currentTimeMillis()), 20, TimeUnit.MILLISECONDS);
    } else {
      node.completeOwned(
          e,
          died(
              t.actor,
              "its node "
                  + left
                  + " died while the call "
                  + t.displayName()
                  + " was in flight (maxTaskRetries="
                  + max
                  + ")"));
    }
  }

  private static Result died(ActorHandleImpl<?> h, String why) {
    return new Result.Failed(
        ErrorInfo.of(ErrorInfo.Kind.ACTOR_DIED, null, null, "Actor " + h + " is dead: " + why));
  }

  /**
   * Kills an actor and waits (up to 30 s) until its host has closed its mailbox, so calls made
   * after this returns reach the next incarnation (or fail as dead).
   */
  void kill(ActorHandleImpl<?> handle, boolean noRestart) {
    dir.ensureDeployed();
    if (noRestart) {
      ActorRecord r = dir.markDead(handle.getId(), "it was killed");
      if (r != null) {
        dir.releaseName(r.name, r.id);
      }
      releaseIfJustDied(r);
    }
    UUID host = readyHost(handle.shard());
    if (host == null) {
      return; // no live host: the shard's next host reads the registry
    }
    ObjectId ack = node.newId();
    java.util.concurrent.CompletableFuture<Result> done = node.expectReply(ack, host);
    node.sendControl(
        host,
        new Message.ActorControl(
            Message.ActorControl.KILL, handle.getId(), noRestart ? 1 : 0, ack));
    try {
      done.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new io.flare.api.exception.FlareException(
          "Killing actor " + handle + " was not acknowledged by node " + host + " within 30 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.flare.api.exception.FlareException("Interrupted while killing " + handle, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new io.flare.api.exception.FlareException(
          "Killing " + handle + " failed", e.getCause());
    }
  }

  <A> Optional<ActorHandle<A>> byName(String name) {
    if (name == null) {
      throw new NullPointerException("name must not be null");
    }
    String id = dir.idOfName(name);
    if (id == null) {
      return Optional.empty();
    }
    ActorRecord r = dir.get(id);
    if (r == null || r.isDead()) {
      return Optional.empty();
    }
    return Optional.of(
        new ActorHandleImpl<>(
            r.id, r.className, r.shard, r.maxPendingCalls, r.maxTaskRetries, node));
  }

  ActorHandleImpl<?> handle(
      String id, String className, int shard, int maxPending, int maxRetries) {
    return new ActorHandleImpl<>(id, className, shard, maxPending, maxRetries, node);
  }

  /** The node hosting a shard, if its Flare is up (else null: route again shortly). */
  private UUID readyHost(int shard) {
    UUID host = dir.hostOf(shard);
    return host != null && node.isReady(host) ? host : null;
  }

  // ------------------------------------------------------------------ host side

  @Override
  public void shardUp(int shard) {
    hostedShards.add(shard);
    admin.execute(() -> incarnateShard(shard, 0));
  }

  /**
   * On the admin thread: builds the live actors of a shard that came here. A registry read that
   * fails while the cluster settles (nodes left at once, partitions moving) is tried again a second
   * later while the shard is still here — this node may be its last host.
   */
  private void incarnateShard(int shard, int attempt) {
    try {
      for (ActorRecord r : dir.liveInShard(shard)) {
        if (!hosted.containsKey(r.id) && r.args != null && hostedShards.contains(shard)) {
          incarnate(r.id);
        }
      }
    } catch (RuntimeException e) {
      if (!node.isRunning() || !hostedShards.contains(shard)) {
        return;
      }
      if (attempt % 10 == 0) {
        node.ignite()
            .log()
            .warning(
                "Flare: reading the actors of shard "
                    + shard
                    + " failed ("
                    + e
                    + "); trying again every second");
      }
      try {
        timer.schedule(
            () -> admin.execute(() -> incarnateShard(shard, attempt + 1)), 1, TimeUnit.SECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        // stopping
      }
    }
  }

  @Override
  public void shardDown(int shard) {
    hostedShards.remove(shard);
    for (Hosted h : hosted.values()) {
      if (dir.shardOf(h.id) == shard && hosted.remove(h.id, h)) {
        for (TaskSpec left : h.mailbox.close()) {
          reply(left, notHosted(left));
        }
      }
    }
  }

  private static Result notHosted(TaskSpec spec) {
    return new Result.Failed(
        ErrorInfo.of(ErrorInfo.Kind.NOT_HOSTED, null, null, "actor " + spec.actorId() + " moved"));
  }

  private void applyPendingSyncs(Hosted h) {
    Map<UUID, Long> syncs = pendingSyncs.remove(h.id);
    if (syncs != null) {
      syncs.forEach(h.mailbox::sync);
    }
  }

  /**
   * The owner cancelled call {@code id}: if it has not run here yet, it will not; if it is running,
   * its thread is interrupted (as a running task's is), so the actor's next calls need not wait for
   * it.
   */
  void cancelCall(ObjectId id) {
    cancelledCalls.add(id);
    for (Hosted h : hosted.values()) {
      synchronized (h) {
        if (id.equals(h.running)) {
          h.runner.interrupt();
          return;
        }
      }
    }
  }

  /** On the admin thread: builds the next incarnation of an actor here. */
  private void incarnate(String id) {
    if (hosted.containsKey(id)) {
      return;
    }
    ActorRecord r = dir.nextIncarnation(id, "its node died and it has no restarts left");
    if (r == null || r.isDead()) {
      if (r != null) {
        dir.releaseName(r.name, r.id);
      }
      releaseIfJustDied(r);
      return;
    }
    Hosted h = new Hosted(id, r.incarnation > 1, r.owner);
    if (hosted.putIfAbsent(id, h) != null) {
      return;
    }
    applyPendingSyncs(h);
    ActorRecord rec = r;
    node.workerExecutor().execute(() -> construct(h, rec));
  }

  /**
   * The constructor's arguments. A value passed as a ref may have been lost with its node since it
   * was resolved: it is then read through its ref, as {@code get} would (a lost task result is
   * computed again from its lineage; a lost {@code put} value without a copy stays lost).
   */
  private Object[] constructorArgs(ActorRecord r) {
    Object[] raw = Message.decodeArgs(r.args);
    try {
      return node.decodeArgs(raw);
    } catch (io.flare.api.exception.ObjectLostException lost) {
      if (r.argRefs == null) {
        throw lost;
      }
      Object[] out = new Object[raw.length];
      for (int i = 0; i < raw.length; i++) {
        String ref = i < r.argRefs.length ? r.argRefs[i] : null;
        if (ref == null) {
          out[i] = node.decodeArgs(new Object[] {raw[i]})[0];
        } else {
          int slash = ref.indexOf('/');
          ObjectRefImpl<?> again =
              new ObjectRefImpl<>(
                  ObjectId.parse(ref.substring(slash + 1)),
                  UUID.fromString(ref.substring(0, slash)),
                  node);
          out[i] = node.get(again, Long.MAX_VALUE);
        }
      }
      return out;
    }
  }

  private void construct(Hosted h, ActorRecord r) {
    FunctionDescriptor fd =
        new FunctionDescriptor(r.ctorClass, r.ctorMethod, r.ctorSignature, r.ctorKind);
    FlareRuntimeSpi prevRt = FlareRuntimes.bindThread(node);
    TaskContext prev = TaskContext.enter(new TaskContext(null, h.id, h.restarted, r.origin));
    try {
      Object[] args = constructorArgs(r);
      h.instance = node.functions().resolve(fd).invoke(args);
      h.mailbox.start();
    } catch (Throwable t) {
      h.dead =
          ErrorInfo.fromThrowable(
              ErrorInfo.Kind.ACTOR_DIED, fd.displayName(), node.localIdString(), t);
      h.dead =
          new ErrorInfo(
              ErrorInfo.Kind.ACTOR_DIED,
              fd.displayName(),
              node.localIdString(),
              h.dead.className(),
              "Actor " + h.id + " (" + r.className + ") is dead: its constructor threw " + t,
              h.dead.stack(),
              h.dead.serialized());
      // The registry learns of the death (and frees the name) before any caller does: a caller
      // told the actor died may at once look its name up or reuse it.
      admin.execute(
          () -> {
            try {
              releaseIfJustDied(dir.markDead(h.id, "its constructor threw " + t));
              dir.releaseName(r.name, r.id);
            } finally {
              for (TaskSpec left : h.mailbox.close()) {
                reply(left, new Result.Failed(h.dead));
              }
            }
          });
    } finally {
      TaskContext.exit(prev);
      FlareRuntimes.restoreThread(prevRt);
    }
  }

  /** A call arrived for an actor whose shard may be here. */
  void onCall(UUID from, TaskSpec spec) {
    Hosted h = hosted.get(spec.actorId());
    if (h != null) {
      offer(h, spec);
      return;
    }
    if (!hostedShards.contains(dir.shardOf(spec.actorId()))) {
      reply(spec, notHosted(spec));
      return;
    }
    admin.execute(
        () -> {
          try {
            routeHere(spec);
          } catch (RuntimeException e) {
            // The registry could not be read (the cluster is settling after nodes left): the
            // caller routes the call again shortly, instead of never hearing back.
            long now = System.nanoTime();
            long last = lastRouteWarning.get();
            if (now - last > 10_000_000_000L && lastRouteWarning.compareAndSet(last, now)) {
              node.ignite()
                  .log()
                  .warning(
                      "Flare: call on actor " + spec.actorId() + " sent back to route again: " + e);
            }
            reply(spec, notHosted(spec));
          }
        });
  }

  private final java.util.concurrent.atomic.AtomicLong lastRouteWarning =
      new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - 20_000_000_000L);

  /** On the admin thread: a call for an actor not set up here, in a shard hosted here. */
  private void routeHere(TaskSpec spec) {
    Hosted known = hosted.get(spec.actorId());
    if (known == null) {
      ActorRecord r = dir.get(spec.actorId());
      if (r != null && !r.isDead() && r.args == null) {
        reply(spec, notHosted(spec)); // constructor arguments not ready: try again soon
        return;
      }
      if (r != null && !r.isDead()) {
        incarnate(r.id);
        known = hosted.get(spec.actorId());
      }
      if (known == null) {
        ActorRecord now = dir.get(spec.actorId());
        replyDead(spec, now == null ? "it is unknown (killed or never created)" : now.deathReason);
        return;
      }
    }
    offer(known, spec);
  }

  /** Fails a call because its actor is dead, saying why. */
  private void replyDead(TaskSpec spec, String why) {
    reply(
        spec,
        new Result.Failed(
            ErrorInfo.of(
                ErrorInfo.Kind.ACTOR_DIED,
                spec.displayName(),
                node.localIdString(),
                "Actor " + spec.actorId() + " is dead: " + why)));
  }

  private void offer(Hosted h, TaskSpec spec) {
    if (!h.mailbox.offer(spec.owner(), spec.seq(), spec.low(), spec)) {
      if (h.dead != null) {
        reply(spec, new Result.Failed(h.dead));
      } else {
        replyDead(spec, "it was killed");
      }
    }
  }

  private void runCall(Hosted h, TaskSpec spec) {
    // The check and the marking are one step under the actor's lock, and cancelCall looks for the
    // running call under it too: a cancel either skips the call or interrupts it, never misses it.
    synchronized (h) {
      if (cancelledCalls.remove(spec.id())) {
        reply(spec, node.cancelledResult(spec.displayName(), spec.id()));
        return;
      }
      h.running = spec.id();
      h.runner = Thread.currentThread();
    }
    FlareRuntimeSpi prevRt = FlareRuntimes.bindThread(node);
    TaskContext prev =
        TaskContext.enter(new TaskContext(spec.id(), h.id, h.restarted, spec.origin()));
    Result r;
    ErrorInfo killedMeanwhile;
    try {
      r = node.runActorCall(spec, h.instance);
    } finally {
      synchronized (h) {
        h.running = null;
        h.runner = null;
        Thread.interrupted(); // an interrupt meant for this call must not reach the next one
        killedMeanwhile = h.dead;
      }
      cancelledCalls.remove(spec.id());
      TaskContext.exit(prev);
      FlareRuntimes.restoreThread(prevRt);
    }
    if (killedMeanwhile != null) {
      r = new Result.Failed(killedMeanwhile); // killed while it ran: the call died with the actor
    }
    reply(spec, r);
  }

  private void reply(TaskSpec spec, Result r) {
    node.reportResult(spec, r);
  }

  void onControl(UUID from, Message.ActorControl c) {
    switch (c.op()) {
      case Message.ActorControl.CREATE ->
          admin.execute(
              () -> {
                if (hostedShards.contains(dir.shardOf(c.actorId()))) {
                  incarnate(c.actorId());
                }
              });
      case Message.ActorControl.KILL ->
          admin.execute(
              () -> {
                try {
                  killHere(c.actorId(), c.value() == 1);
                } finally {
                  if (c.replyTo() != null) {
                    node.sendReply(from, c.replyTo());
                  }
                }
              });
      case Message.ActorControl.SYNC -> {
        Hosted h = hosted.get(c.actorId());
        if (h != null) {
          h.mailbox.sync(from, c.value());
        } else { // not set up here yet: keep it for the mailbox to come
          pendingSyncs
              .computeIfAbsent(c.actorId(), k -> new ConcurrentHashMap<>())
              .merge(from, c.value(), Math::max);
          Hosted now = hosted.get(c.actorId());
          if (now != null) {
            applyPendingSyncs(now);
          }
        }
      }
      default -> {}
    }
  }

  private void killHere(String id, boolean noRestart) {
    killHere(id, noRestart, "it was killed");
  }

  private void killHere(String id, boolean noRestart, String why) {
    Hosted h = hosted.remove(id);
    ErrorInfo killed =
        ErrorInfo.of(
            ErrorInfo.Kind.ACTOR_DIED,
            null,
            node.localIdString(),
            "Actor " + id + " is dead: " + why);
    if (h != null) {
      synchronized (h) {
        h.dead = killed; // the running call, if any, fails with it (runCall)
        if (h.runner != null) {
          h.runner.interrupt();
        }
      }
      if (!noRestart) {
        // The next incarnation must not wait for calls this one consumed (it would wait for ever:
        // they will not be sent again); it starts each caller where this one stopped.
        h.mailbox
            .positions()
            .forEach(
                (caller, next) ->
                    pendingSyncs
                        .computeIfAbsent(id, k -> new ConcurrentHashMap<>())
                        .merge(caller, next, Math::max));
      }
      for (TaskSpec left : h.mailbox.close()) {
        reply(left, new Result.Failed(killed));
      }
      h.instance = null;
    }
    if (noRestart) {
      ActorRecord r = dir.markDead(id, why);
      if (r != null) {
        dir.releaseName(r.name, r.id);
      }
      releaseIfJustDied(r);
    } else if (hostedShards.contains(dir.shardOf(id))) {
      incarnate(id);
    }
  }

  /**
   * A node left: forget it as a caller of the actors hosted here, and kill the actors it owned
   * (fate-sharing: nobody holds a usable handle to them any more).
   */
  void nodeLeft(UUID left) {
    for (Hosted h : hosted.values()) {
      h.mailbox.dropCaller(left);
      if (left.equals(h.owner)) {
        admin.execute(() -> killHere(h.id, true, "its owner node " + left + " left the cluster"));
      }
    }
  }
}
