package io.flare.plugin.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.flare.actor.ActorHandleImpl;
import io.flare.api.ActorHandle;
import io.flare.api.NodeInfo;
import io.flare.api.ObjectRef;
import io.flare.api.RuntimeContext;
import io.flare.api.WaitResult;
import io.flare.api.exception.FlareException;
import io.flare.api.exception.FlareSerializationException;
import io.flare.api.exception.GetTimeoutException;
import io.flare.api.spi.ActorOptions;
import io.flare.api.spi.FlareRuntimes;
import io.flare.api.spi.TaskOptions;
import io.flare.plugin.FlarePluginConfiguration;
import io.flare.store.NestedRefs;
import io.flare.store.ObjectId;
import io.flare.store.ObjectRefImpl;
import io.flare.store.RefResolver;
import io.flare.store.cache.ObjectStore;
import io.flare.store.cache.StoredLocation;
import io.flare.store.serde.FlareSerializer;
import java.io.Serializable;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.Ignition;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgnitePredicate;

/**
 * Flare on one Ignite node: the owner of the objects and tasks created here, and (on servers) the
 * worker that runs tasks sent here.
 *
 * <p>Design. The process that calls {@code remote()} owns the task and its result. It serializes
 * the arguments at once, registers an {@link Entry} for the result, and returns a ref. Ref
 * arguments are awaited asynchronously (owned ones through their entry, borrowed ones by asking
 * their owner with a FETCH message); when the last is ready the task is dispatched to the node the
 * {@link Scheduler} picks, locally by a direct call or remotely through the batching {@link
 * Transport}. No thread ever blocks on a dependency. The worker runs the function on Flare's pool,
 * serializes the result and reports it: small results inline (they then live in the owner's
 * memory), large ones written to the {@link ObjectStore} with their primary copy on the worker. A
 * failure travels as an {@link ErrorInfo}; a task whose argument failed fails with the same error
 * without running. When a node leaves, the tasks in flight there are re-dispatched (up to {@code
 * maxRetries}) and reads of objects owned there fail with {@code ObjectLostException}.
 *
 * <p>Memory: an entry lives while a ref to it lives on this node (counted with a {@link Cleaner}),
 * while a pending task uses it, or forever once a ref to it was serialized (a borrower may hold it;
 * the object-store issue replaces this with borrower counting).
 */
public final class FlareNode implements RefResolver, ActorHandleImpl.ActorCalls {
  private static final Cleaner CLEANER = Cleaner.create();
  private static final AtomicInteger NODES = new AtomicInteger();

  private final Ignite ignite;
  private final UUID localId;
  private final String localIdString;
  private final FlarePluginConfiguration config;
  private final IgniteLogger log;
  private final ClassLoader loader;
  private final ObjectId.Generator ids;
  private final ConcurrentHashMap<ObjectId, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ObjectId, Fetch> fetches = new ConcurrentHashMap<>();
  private final CodeSpace localSpace;
  private final ConcurrentHashMap<UUID, CodeSpace> spaces = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, CompletableFuture<byte[]>> classRequests =
      new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong classRequestIds =
      new java.util.concurrent.atomic.AtomicLong();
  private final ObjectStore store;
  private final FlareExecutors executors;
  private final ThreadPoolExecutor io;
  private final Transport transport;
  private final Scheduler scheduler;
  private final Worker worker;
  private final Actors actors;
  private final io.flare.lineage.LineageTable lineage;

  /** Lineage recovery and lost-partition work: blocking cache calls, kept off the I/O threads. */
  private final java.util.concurrent.ExecutorService recovery;

  private final java.util.concurrent.atomic.AtomicLong reconstructions =
      new java.util.concurrent.atomic.AtomicLong();
  private final IgnitePredicate<DiscoveryEvent> nodeLeftListener;
  private final IgnitePredicate<org.apache.ignite.events.Event> partitionLossListener;
  private final IgnitePredicate<org.apache.ignite.events.Event> disconnectListener;

  /** Why Flare stopped here, when it stopped by itself (null after a plain shutdown). */
  private volatile String stopReason;

  private final int inlineThreshold;

  /** Heap for put values written in the background; 0: puts return once stored. */
  private final long writeBehindSize;

  private volatile boolean running = true;
  private volatile boolean ownsIgnite;

  /** A read of an object owned by another node, shared by every reader here while it is pending. */
  private record Fetch(UUID owner, CompletableFuture<Result> result) {}

  public FlareNode(
      Ignite ignite,
      FlarePluginConfiguration config,
      IgniteLogger log,
      long idPrefix,
      FlareExecutors executors) {
    this.ids = new ObjectId.Generator(idPrefix);
    this.ignite = ignite;
    this.config = config;
    this.log = log;
    this.localId = ignite.cluster().localNode().id();
    this.localIdString = localId.toString();
    this.inlineThreshold = config.getInlineThreshold();
    this.writeBehindSize = config.effectivePutWriteBehindSize();
    ClassLoader cl = ignite.configuration().getClassLoader();
    if (cl == null) {
      cl = Thread.currentThread().getContextClassLoader();
    }
    this.loader = cl != null ? cl : FlareNode.class.getClassLoader();
    this.localSpace = new CodeSpace(loader);
    this.store =
        new ObjectStore(
            ignite,
            config.getPutBackups(),
            config.getChunkSize(),
            config.isOwnDataRegion(),
            executors.store,
            config.effectiveChunkCacheSize());
    this.store.onShortOfRoom(this::askEveryoneToCollect);
    AtomicInteger ioSeq = new AtomicInteger();
    this.executors = executors;
    this.io = executors.io;
    this.scheduler = new Scheduler(ignite, this);
    boolean server = !ignite.cluster().localNode().isClient();
    this.worker = server ? new Worker(this, executors.workers) : null;
    this.transport = new Transport(ignite, io, log, this::onMessage);
    ready.add(localId);
    this.actors = new Actors(this, config.getActorShards());
    this.lineage = config.isLineageEnabled() ? new io.flare.lineage.LineageTable(ignite) : null;
    this.recovery = executors.recovery;
    this.nodeLeftListener =
        evt -> {
          UUID left = evt.eventNode().id();
          Long prefix = FlareAttributes.idPrefix(evt.eventNode());
          io.execute(() -> onNodeLeft(left));
          if (prefix != null && worker != null) {
            recovery.execute(() -> releaseObjectsOf(left, prefix));
          }
          return true;
        };
    ignite
        .events()
        .localListen(nodeLeftListener, EventType.EVT_NODE_LEFT, EventType.EVT_NODE_FAILED);
    this.partitionLossListener =
        evt -> {
          scheduleLostPartitionReset();
          return true;
        };
    ignite
        .events()
        .localListen(partitionLossListener, EventType.EVT_CACHE_REBALANCE_PART_DATA_LOST);
    this.disconnectListener =
        evt -> {
          Thread t = new Thread(this::lostTheCluster, "flare-client-disconnected");
          t.setDaemon(true);
          t.start();
          return false;
        };
    ignite.events().localListen(disconnectListener, EventType.EVT_CLIENT_NODE_DISCONNECTED);
    FlareRuntimes.register(this);
  }

  /**
   * This client node was cut off from the cluster (the servers stopped or restarted, or it did not
   * answer them for longer than the client failure-detection timeout). The servers have already
   * dropped it: its tasks, actors and objects are gone, and a reconnect would come back under
   * another node id. So Flare stops here, failing every pending read with the reason, and stops the
   * Ignite node it started; {@code Flare.init} connects again.
   */
  private void lostTheCluster() {
    stopReason =
        "this client node lost its connection to the cluster (Ignite reported it disconnected:"
            + " the servers stopped, or it did not reach them within the failure-detection"
            + " timeout); what it owned is gone. "
            + (ownsIgnite
                ? "Call Flare.init() to connect again"
                : "Restart this Ignite node to use Flare on it again");
    log.warning("Flare: " + stopReason);
    try {
      shutdown();
    } catch (RuntimeException e) {
      log.warning("Flare: error stopping after the disconnect: " + e);
    }
  }

  // ---------------------------------------------------------------- accessors

  ClassLoader loader() {
    return loader;
  }

  String localIdString() {
    return localIdString;
  }

  /**
   * The classes of one origin node as this node sees them: its class loader (this node's own, or a
   * {@link ShippingClassLoader} that fetches the origin's classes), resolved functions, and a
   * serializer that loads classes through that loader.
   */
  final class CodeSpace {
    final ClassLoader loader;
    final Functions functions;
    final FlareSerializer serde;

    CodeSpace(ClassLoader loader) {
      this.loader = loader;
      this.functions = new Functions(loader, localIdString);
      this.serde = new FlareSerializer(loader, FlareNode.this::registerSerializers);
      if (!config.getAllowedClassPrefixes().isEmpty()) {
        serde.setAllowedClassPrefixes(config.getAllowedClassPrefixes());
      }
    }
  }

  /** The code space of {@code origin} (null or this node: the node's own classes). */
  CodeSpace space(UUID origin) {
    if (origin == null || origin.equals(localId)) {
      return localSpace;
    }
    CodeSpace s = spaces.get(origin);
    if (s == null) {
      s =
          spaces.computeIfAbsent(
              origin,
              o ->
                  new CodeSpace(
                      new ShippingClassLoader(
                          loader, o, this::fetchClass, config.getAllowedClassPrefixes())));
    }
    return s;
  }

  /**
   * The code space of the task or actor running on this thread; else, for a thread such a task
   * started (it inherits the task's context class loader), the space of that loader's driver; else
   * this node's.
   */
  CodeSpace currentSpace() {
    TaskContext c = TaskContext.current();
    if (c != null) {
      return space(c.origin);
    }
    UUID shipped = shippedOrigin();
    return shipped == null ? localSpace : space(shipped);
  }

  /** The origin of work submitted from this thread (see {@link #currentSpace}). */
  UUID currentOrigin() {
    TaskContext c = TaskContext.current();
    if (c != null) {
      return c.origin == null ? localId : c.origin;
    }
    UUID shipped = shippedOrigin();
    return shipped == null ? localId : shipped;
  }

  /** The driver whose shipped classes this thread's context class loader holds, or null. */
  private UUID shippedOrigin() {
    if (Thread.currentThread().getContextClassLoader() instanceof ShippingClassLoader s) {
      CodeSpace known = spaces.get(s.origin());
      if (known != null && known.loader == s) {
        return s.origin();
      }
    }
    return null;
  }

  private FlareSerializer serde() {
    return currentSpace().serde;
  }

  Functions functions() {
    return currentSpace().functions;
  }

  /**
   * Asks {@code origin} for the bytes of class {@code name}; completes with null if it has none.
   */
  private CompletableFuture<byte[]> fetchClass(UUID origin, String name) {
    long id = classRequestIds.incrementAndGet();
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    classRequests.put(id, f);
    if (ignite.cluster().node(origin) == null) {
      classRequests.remove(id);
      f.completeExceptionally(new IllegalStateException("driver node " + origin + " left"));
    } else {
      transport.send(origin, Message.CLASS_REQUEST, new Message.ClassBytes(id, name, null));
    }
    return f.whenComplete((b, e) -> classRequests.remove(id));
  }

  /** Serves a class of this node's classpath to a node that runs this node's work. */
  private void serveClass(UUID to, Message.ClassBytes req) {
    byte[] bytes = null;
    String resource = req.name().replace('.', '/') + ".class";
    try (java.io.InputStream in = loader.getResourceAsStream(resource)) {
      if (in != null) {
        bytes = in.readAllBytes();
      }
    } catch (java.io.IOException e) {
      log.warning("Flare: cannot read class " + req.name() + " for node " + to + ": " + e);
    }
    transport.send(
        to, Message.CLASS_REPLY, new Message.ClassBytes(req.request(), req.name(), bytes));
  }

  ObjectId newId() {
    return ids.next();
  }

  /** Where actor constructors and methods run: the worker pool (the I/O pool on clients). */
  Executor workerExecutor() {
    return worker != null ? worker.executor() : io;
  }

  /** Whether server {@code id} offers {@code resources}. */
  boolean offers(UUID id, Map<String, Double> resources) {
    return scheduler.offers(id, resources);
  }

  void checkFeasible(Map<String, Double> resources, String function) {
    scheduler.checkFeasible(resources, function);
  }

  void send(UUID dest, byte type, Object item) {
    transport.send(dest, type, item);
  }

  void sendControl(UUID dest, Message.ActorControl c) {
    if (dest.equals(localId)) {
      actors.onControl(localId, c);
    } else {
      transport.send(dest, Message.ACTOR_CONTROL, c);
    }
  }

  UUID localId() {
    return localId;
  }

  /** The object store this node writes to. INTERNAL API. */
  public ObjectStore store() {
    return store;
  }

  public Ignite ignite() {
    return ignite;
  }

  public FlarePluginConfiguration config() {
    return config;
  }

  /** Makes {@link #shutdown()} stop the Ignite node too (it was started by {@code Flare.init}). */
  public void setOwnsIgnite(boolean owns) {
    this.ownsIgnite = owns;
  }

  /** Entries this node owns, for tests and metrics. */
  public int ownedObjectCount() {
    return entries.size();
  }

  /**
   * For diagnostics: each object this node owns (at most {@code max}) with what keeps it alive —
   * live refs here, pins by pending tasks, holders elsewhere — and the task that made it.
   */
  public String describeOwned(int max) {
    StringBuilder sb = new StringBuilder();
    int n = 0;
    for (Entry e : entries.values()) {
      if (n++ >= max) {
        sb.append(" …");
        break;
      }
      sb.append(n == 1 ? "" : "; ")
          .append(e.id)
          .append(" refs=")
          .append(e.refs.get())
          .append(" pins=")
          .append(e.pins.get())
          .append(" elsewhere=")
          .append(e.remote.get())
          .append(e.task == null ? " put" : " task " + e.task.displayName())
          .append(e.isDone() ? "" : " pending");
    }
    return sb.toString();
  }

  /**
   * For tests and metrics: how many holders elsewhere keep object {@code ref} (owned here) alive —
   * nodes that borrowed a ref to it, and stored values that contain one — or -1 if this node does
   * not own it (any more).
   */
  public int heldElsewhere(ObjectRef<?> ref) {
    Entry e = entries.get(asRef(ref).objectId());
    return e == null ? -1 : e.remote.get();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void checkRunning() {
    if (!running) {
      String why = stopReason;
      throw new IllegalStateException(
          why != null
              ? "Flare stopped on this node: " + why
              : "Flare is shut down on this node: call Flare.init() to start it again");
    }
  }

  // ---------------------------------------------------------------- serialization

  private void registerSerializers(Kryo kryo) {
    kryo.getContext().put(RefResolver.class, this); // for refs in Java streams
    kryo.register(ObjectRefImpl.class, new RefSerializer(), 100);
    kryo.register(ActorHandleImpl.class, new HandleSerializer(), 101);
  }

  /** Writes an actor handle's identity; reading binds it to this node. */
  private final class HandleSerializer extends Serializer<ActorHandleImpl<?>> {
    HandleSerializer() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, ActorHandleImpl<?> h) {
      out.writeString(h.getId());
      out.writeString(h.className());
      out.writeVarInt(h.shard(), true);
      out.writeVarInt(h.maxPendingCalls(), false);
      out.writeVarInt(h.maxTaskRetries(), false);
    }

    @Override
    public ActorHandleImpl<?> read(Kryo kryo, Input in, Class<? extends ActorHandleImpl<?>> type) {
      return actors.handle(
          in.readString(),
          in.readString(),
          in.readVarInt(true),
          in.readVarInt(false),
          in.readVarInt(false));
    }
  }

  /** Writes a ref's id and owner; reading binds it to this node. */
  private final class RefSerializer extends Serializer<ObjectRefImpl<?>> {
    RefSerializer() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, ObjectRefImpl<?> ref) {
      ObjectId id = ref.objectId();
      UUID owner = ref.owner();
      out.writeLong(id.hi());
      out.writeLong(id.lo());
      out.writeLong(owner.getMostSignificantBits());
      out.writeLong(owner.getLeastSignificantBits());
      NestedRefs.written(ref);
    }

    @Override
    public ObjectRefImpl<?> read(Kryo kryo, Input in, Class<? extends ObjectRefImpl<?>> type) {
      ObjectId id = new ObjectId(in.readLong(), in.readLong());
      UUID owner = new UUID(in.readLong(), in.readLong());
      return new ObjectRefImpl<>(id, owner, FlareNode.this);
    }
  }

  private byte[] serializeArg(Object value, int position, String function) {
    try {
      return serde().serialize(value);
    } catch (FlareSerializationException e) {
      throw new FlareSerializationException(
          "Argument " + position + " of " + function + ": " + e.getMessage(), e);
    }
  }

  private Object decode(Result r) {
    if (r instanceof Result.Inline i) {
      return serde().deserialize(i.bytes());
    }
    if (r instanceof Result.Stored s) {
      return readStored(s.location());
    }
    throw ((Result.Failed) r).error().toException(currentSpace().loader);
  }

  private Object decodeArg(Object arg) {
    if (arg instanceof byte[] b) {
      return serde().deserialize(b);
    }
    return readStored((StoredLocation) arg);
  }

  /** Deserializes a stored value chunk by chunk. */
  private Object readStored(StoredLocation loc) {
    try {
      return serde().deserializeChunks(store.value(loc));
    } catch (java.io.IOException e) {
      throw new FlareException("Cannot read object " + loc.id() + ": " + e, e);
    }
  }

  /**
   * Serializes a value for object {@code id}: inline bytes when small, else into the store (large
   * primitive arrays stream there chunk by chunk without a full serialized copy).
   */
  Result encodeValue(ObjectId id, Object value, boolean put) {
    return encodeValue(id, value, put, new ArrayList<>(0));
  }

  /** As above; refs serialized inside the value are added to {@code nested}. */
  Result encodeValue(ObjectId id, Object value, boolean put, List<Message.Contained> nested) {
    return collecting(() -> encodeValueNow(id, value, put), nested);
  }

  private Result encodeValueNow(ObjectId id, Object value, boolean put) {
    long size = FlareSerializer.arraySerializedSize(value);
    if (size > inlineThreshold) {
      // a large primitive array: its chunks are encoded and written by several threads at once
      return new Result.Stored(
          store.writeAll(
              id,
              put,
              size,
              (offset, dst) -> FlareSerializer.encodeArrayRange(value, offset, dst)));
    }
    byte[] bytes = serde().serialize(value);
    if (bytes.length <= inlineThreshold) {
      return new Result.Inline(bytes);
    }
    return new Result.Stored(store.write(id, bytes, put));
  }

  // ---------------------------------------------------------------- ref tracking

  @Override
  public void track(ObjectRefImpl<?> ref) {
    if (!ref.owner().equals(localId)) {
      borrow(ref);
      return;
    }
    ObjectId id = ref.objectId();
    Entry e = entries.get(id);
    if (e != null) {
      e.refs.incrementAndGet();
      CLEANER.register(ref, () -> release(id, e));
    }
  }

  /**
   * Runs on the shared Cleaner thread. Freeing never blocks there: removing a stored value and its
   * lineage row are asynchronous cache calls, and a delayed free is scheduled elsewhere.
   */
  private void release(ObjectId id, Entry e) {
    e.refs.decrementAndGet();
    if (running) {
      maybeFree(e);
    }
  }

  private void unpin(Entry e) {
    e.pins.decrementAndGet();
    maybeFree(e);
  }

  /** Live instances here of a ref another node owns; the owner is told on 0→1 and 1→0. */
  private static final class Borrow {
    final UUID owner;
    final AtomicInteger count = new AtomicInteger();

    Borrow(UUID owner) {
      this.owner = owner;
    }
  }

  private final ConcurrentHashMap<ObjectId, Borrow> borrows = new ConcurrentHashMap<>();

  private void borrow(ObjectRefImpl<?> ref) {
    ObjectId id = ref.objectId();
    Borrow b = borrows.computeIfAbsent(id, k -> new Borrow(ref.owner()));
    if (b.count.incrementAndGet() == 1) {
      sendDelta(b.owner, id, +1);
    }
    CLEANER.register(
        ref,
        () -> {
          if (b.count.decrementAndGet() == 0) {
            borrows.remove(id, b);
            sendDelta(b.owner, id, -1); // a queued message: never blocks
          }
        });
  }

  private void sendDelta(UUID owner, ObjectId id, int delta) {
    if (!running) {
      return;
    }
    if (owner.equals(localId)) {
      onDelta(id, delta);
    } else if (ignite.cluster().node(owner) != null) {
      transport.send(owner, Message.REFCOUNT, new Message.RefDelta(id, delta));
    }
  }

  private void onDelta(ObjectId id, int delta) {
    Entry e = entries.get(id);
    if (e != null) {
      e.everRemote = true;
      e.remote.addAndGet(delta);
      maybeFree(e);
    }
  }

  /** Runs {@code body} and returns the refs it serialized (deduplicated by id). */
  private <T> T collecting(java.util.function.Supplier<T> body, List<Message.Contained> out) {
    List<ObjectRefImpl<?>> mine = new ArrayList<>(0);
    List<ObjectRefImpl<?>> prev = NestedRefs.collectInto(mine);
    try {
      return body.get();
    } finally {
      NestedRefs.collectInto(prev);
      if (!mine.isEmpty()) {
        java.util.Set<ObjectId> seen = new java.util.HashSet<>();
        for (ObjectRefImpl<?> r : mine) {
          if (seen.add(r.objectId())) {
            out.add(new Message.Contained(r.objectId(), r.owner()));
          }
        }
        if (prev != null) {
          prev.addAll(mine);
        }
      }
    }
  }

  /** Holds (+1) each contained ref for as long as the value containing it lives. */
  private void retain(List<Message.Contained> contained) {
    for (Message.Contained c : contained) {
      sendDelta(c.owner(), c.id(), +1);
    }
  }

  /**
   * Holds contained refs until {@link #releaseRetained} (actor constructor arguments: a restart
   * needs them until the actor dies for good).
   */
  void retainForever(List<Message.Contained> contained) {
    retain(contained);
  }

  /** Gives back refs held by {@link #retainForever} (on any node: the owner keeps the count). */
  void releaseRetained(List<Message.Contained> contained) {
    releaseContained(contained);
  }

  private void releaseContained(List<Message.Contained> contained) {
    if (contained != null) {
      for (Message.Contained c : contained) {
        sendDelta(c.owner(), c.id(), -1);
      }
    }
  }

  private void maybeFree(Entry e) {
    if (e.isReferenced()) {
      return;
    }
    if (e.everRemote && running) {
      // deltas from other nodes may arrive out of order: free only if it stays unreferenced
      CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS, recovery).execute(() -> freeNow(e));
      return;
    }
    freeNow(e);
  }

  private void freeNow(Entry e) {
    if (!e.isReferenced() && entries.remove(e.id, e)) {
      releaseContained(e.takeContainedForFree());
      ObjectStore.PendingWrite w = e.writing;
      if (w != null && !e.isDone()) {
        w.cancel(); // what it wrote goes; a write that ended meanwhile is freed by writtenBehind
      }
      if (e.isDone()) {
        Result r = e.result.getNow(null);
        freeStored(r);
        if (lineage != null && e.task != null && r instanceof Result.Stored) {
          lineage.release(e.id);
        }
      }
      // A result that arrives later finds no entry and is freed then.
    }
  }

  private void freeStored(Result r) {
    if (r instanceof Result.Stored s && running) {
      store.remove(s.location());
    }
  }

  private ObjectRefImpl<?> asRef(ObjectRef<?> ref) {
    if (ref == null) {
      throw new NullPointerException("ref must not be null");
    }
    if (ref instanceof ObjectRefImpl<?> r) {
      return r;
    }
    throw new IllegalArgumentException(
        "not a Flare ObjectRef: " + ref.getClass().getName() + " (refs come from remote() or put)");
  }

  // ---------------------------------------------------------------- put / get / wait / cancel

  /**
   * Diagnostics: true if this server watches actor shard {@code shard} as up, so it would notice
   * Ignite losing it (the oldest server then deploys it again).
   */
  public boolean watchesShardUp(int shard) {
    return actors.watchedUp(shard);
  }

  /**
   * Drops now, in this node's partitions, the registry records of actors dead for good more than
   * {@code graceMillis} ago (servers do it every 10 s with a grace of 60 s). Returns how many.
   */
  public int sweepDeadActors(long graceMillis) {
    return actors.sweepDead(graceMillis);
  }

  /** Records in the actor registry, cluster-wide: live actors and the recently dead. */
  public long actorRegistrySize() {
    return actors.registrySize();
  }

  @Override
  public <T> ObjectRef<T> put(T value) {
    checkRunning();
    ObjectId id = ids.next();
    Entry e = new Entry(id, null);
    ObjectStore.PendingWrite w = writeBehind(id, value);
    if (w != null) {
      // Readable here at once, from this node's heap; elsewhere (tasks, borrowers) once stored.
      e.writing = w;
      entries.put(id, e);
      w.done().whenComplete((loc, ex) -> writtenBehind(e, loc, ex));
      return new ObjectRefImpl<>(id, localId, this);
    }
    List<Message.Contained> nested = new ArrayList<>(0);
    Result r = encodeValue(id, value, true, nested);
    e.result.complete(r);
    if (!nested.isEmpty()) {
      retain(nested); // refs inside a put value live as long as the value
      e.contained = nested;
    }
    entries.put(id, e);
    return new ObjectRefImpl<>(id, localId, this);
  }

  /**
   * Starts writing a large primitive array {@code put} in the background (see {@link
   * FlarePluginConfiguration#getPutWriteBehindSize()}), or returns null for a write before {@code
   * put} returns.
   */
  private ObjectStore.PendingWrite writeBehind(ObjectId id, Object value) {
    if (writeBehindSize <= 0) {
      return null;
    }
    long size = FlareSerializer.arraySerializedSize(value);
    if (size <= inlineThreshold) {
      return null;
    }
    return store.writeBehind(
        id,
        size,
        (offset, dst) -> FlareSerializer.encodeArrayRange(value, offset, dst),
        writeBehindSize);
  }

  /** A put value written in the background is stored (or could not be, or was freed meanwhile). */
  private void writtenBehind(Entry e, StoredLocation loc, Throwable ex) {
    Result r;
    if (ex == null) {
      r = new Result.Stored(loc);
    } else if (ex instanceof java.util.concurrent.CancellationException) {
      r = lost(e.id, "it was freed: no ObjectRef to it remained on its owner");
    } else {
      r =
          new Result.Failed(
              ErrorInfo.of(
                  ErrorInfo.Kind.SYSTEM,
                  null,
                  localIdString,
                  "The put value "
                      + e.id
                      + " could not be stored after put returned: "
                      + ex.getMessage()));
    }
    e.result.complete(r);
    if (ex == null && entries.get(e.id) != e) {
      freeStored(r); // freed while it was written
    }
  }

  /**
   * The value of {@code ref} for a read on this node: a {@code put} value still being written in
   * the background is read here from this node's heap.
   */
  private CompletableFuture<Result> resultOf(ObjectRefImpl<?> ref) {
    return resultOf(ref, false, false);
  }

  private CompletableFuture<Result> resultOf(ObjectRefImpl<?> ref, boolean lostBefore) {
    return resultOf(ref, lostBefore, false);
  }

  /**
   * The value of {@code ref} once it can be read anywhere: for a task or actor call that takes it
   * as an argument (they may run on other nodes, which read it from the store).
   */
  private CompletableFuture<Result> storedResultOf(ObjectRefImpl<?> ref) {
    return resultOf(ref, false, true);
  }

  private CompletableFuture<Result> resultOf(
      ObjectRefImpl<?> ref, boolean lostBefore, boolean storedOnly) {
    ObjectId id = ref.objectId();
    if (lostBefore && !ref.owner().equals(localId)) {
      return refetch(ref.owner(), id);
    }
    if (ref.owner().equals(localId)) {
      Entry e = entries.get(id);
      if (e == null) {
        return CompletableFuture.completedFuture(
            lost(id, "it was freed: no ObjectRef to it remained on its owner"));
      }
      CompletableFuture<Result> stored = e.result;
      ObjectStore.PendingWrite w = e.writing;
      return w != null && !stored.isDone() && !storedOnly
          ? CompletableFuture.completedFuture(new Result.Stored(w.location()))
          : stored;
    }
    Fetch f = fetches.get(id);
    if (f == null) {
      Fetch nf = new Fetch(ref.owner(), new CompletableFuture<>());
      f = fetches.putIfAbsent(id, nf);
      if (f == null) {
        f = nf;
        if (ignite.cluster().node(ref.owner()) == null) {
          completeFetch(id, lost(id, "its owner node " + ref.owner() + " left the cluster"));
        } else {
          transport.send(ref.owner(), Message.FETCH, id);
        }
      }
    }
    return f.result();
  }

  /** A future completed by a FETCH_REPLY for {@code id} from {@code from} (or its departure). */
  CompletableFuture<Result> expectReply(ObjectId id, UUID from) {
    Fetch f = new Fetch(from, new CompletableFuture<>());
    fetches.put(id, f);
    return f.result();
  }

  /**
   * A borrower found the stored value it was given lost: compute it again if it still is, then
   * answer as for a FETCH.
   */
  private void refetchRequest(UUID from, ObjectId id) {
    Entry e = entries.get(id);
    if (e != null && lineage != null && e.task != null && e.task.actor == null) {
      Result cur = e.result.getNow(null);
      if (cur instanceof Result.Stored s && !s.location().put() && !store.exists(s.location())) {
        reconstruct(e, s.location());
      }
    }
    CompletableFuture<Result> f =
        e != null
            ? e.result
            : CompletableFuture.completedFuture(
                lost(id, "it was freed: no ObjectRef to it remained on its owner"));
    f.whenComplete(
        (r, ex) -> transport.send(from, Message.FETCH_REPLY, new Message.ResultItem(id, 0, r)));
  }

  /** Acknowledges a request: a FETCH_REPLY with an empty value. */
  void sendReply(UUID to, ObjectId id) {
    Message.ResultItem item = new Message.ResultItem(id, 0, new Result.Inline(new byte[0]));
    if (to.equals(localId)) {
      completeFetch(id, item.result());
    } else {
      transport.send(to, Message.FETCH_REPLY, item);
    }
  }

  private void completeFetch(ObjectId id, Result r) {
    Fetch f = fetches.remove(id);
    if (f != null) {
      f.result().complete(r);
    }
  }

  private static Result lost(ObjectId id, String why) {
    return new Result.Failed(
        ErrorInfo.of(ErrorInfo.Kind.LOST, null, null, "Object " + id + " is lost: " + why));
  }

  Result cancelledResult(String function, ObjectId id) {
    return new Result.Failed(
        ErrorInfo.of(
            ErrorInfo.Kind.CANCELLED,
            function,
            localIdString,
            "Task " + function + " (object " + id + ") was cancelled"));
  }

  private static void checkTimeout(long timeoutMs) {
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("timeoutMs must be >= 0, got " + timeoutMs);
    }
  }

  /** Timeouts of a century or more never run out (and would overflow in nanoseconds). */
  static final long UNBOUNDED_MS = TimeUnit.DAYS.toMillis(36_500);

  /**
   * The {@link System#nanoTime()} at which a timeout of {@code timeoutMs} runs out, or {@link
   * Long#MAX_VALUE} for one that never does.
   */
  static long deadlineOf(long timeoutMs) {
    if (timeoutMs >= UNBOUNDED_MS) {
      return Long.MAX_VALUE;
    }
    try {
      return Math.addExact(System.nanoTime(), timeoutMs * 1_000_000);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(ObjectRef<T> ref, long timeoutMs) {
    checkRunning();
    checkTimeout(timeoutMs);
    ObjectRefImpl<?> r = asRef(ref);
    long deadline = deadlineOf(timeoutMs);
    boolean lostBefore = false;
    for (int attempt = 0; ; attempt++) {
      long left =
          deadline == Long.MAX_VALUE
              ? Long.MAX_VALUE
              : Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
      Result res = await(resultOf(r, lostBefore), left, timeoutMs, r);
      try {
        return (T) decode(res);
      } catch (io.flare.api.exception.ObjectLostException lost) {
        if (attempt >= 3 || !(res instanceof Result.Stored s) || !recover(r, s.location())) {
          throw lost;
        }
        lostBefore = true;
      }
    }
  }

  /**
   * A stored value of {@code ref} was found lost: start computing it again (owned) or ask its owner
   * to (borrowed). False when it cannot be re-created.
   */
  private boolean recover(ObjectRefImpl<?> ref, StoredLocation lostAt) {
    if (lineage == null || lostAt.put()) {
      return false;
    }
    if (!ref.owner().equals(localId)) {
      return ignite.cluster().node(ref.owner()) != null;
    }
    Entry e = entries.get(ref.objectId());
    if (e == null || e.task == null || e.task.actor != null) {
      return false;
    }
    reconstruct(e, lostAt);
    return true;
  }

  /**
   * Nodes whose Flare is up (their message listener registered). A node appears in the topology,
   * with Flare's attributes, before its plugin registers the listener; messages sent in between
   * would be lost, so work goes only to nodes that answered HELLO or said HELLO themselves.
   */
  private final java.util.Set<UUID> ready = ConcurrentHashMap.newKeySet();

  boolean isReady(UUID node) {
    return ready.contains(node);
  }

  /** Tells every other Flare node that this one is up; each answers READY. */
  public void announce() {
    for (ClusterNode n : ignite.cluster().forRemotes().nodes()) {
      if (FlareAttributes.isFlareNode(n)) {
        transport.send(n.id(), Message.HELLO, Boolean.TRUE);
      }
    }
  }

  private final java.util.concurrent.atomic.AtomicLong lastCollectAsked =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong lastCollected =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * A store found no room: asks every other Flare node, clients included, to collect garbage (at
   * most every 100 ms). Objects are freed by their owners once the owner's JVM has collected the
   * dropped refs; a driver whose heap barely grows would otherwise keep the store full of values it
   * no longer holds, since only the storing node's garbage was collected.
   */
  void askEveryoneToCollect() {
    if (!running || !rateOk(lastCollectAsked)) {
      return;
    }
    for (ClusterNode n : ignite.cluster().forRemotes().nodes()) {
      if (ready.contains(n.id())) {
        try {
          transport.send(n.id(), Message.COLLECT, Boolean.TRUE);
        } catch (RuntimeException e) {
          // it left: nothing of it to free
        }
      }
    }
  }

  private void collectHere() {
    if (rateOk(lastCollected)) {
      io.execute(System::gc); // off the message thread; the cleaners then free dropped refs
    }
  }

  private static boolean rateOk(java.util.concurrent.atomic.AtomicLong last) {
    long now = System.nanoTime();
    long prev = last.get();
    return (prev == 0 || now - prev > 100_000_000L) && last.compareAndSet(prev, now);
  }

  private void markReady(UUID node) {
    if (ready.add(node)) {
      scheduler.nodeReady();
    }
  }

  /**
   * Waits until the value of {@code ref} can be read on any node: for a {@code put} value this node
   * still writes in the background, until every chunk is stored (with its backups); for any other
   * ref, until it is ready, as {@code get} would wait. Throws the value's error if it has one (for
   * a put value: why it could not be stored), {@link GetTimeoutException} when the time runs out.
   */
  public void awaitStored(ObjectRef<?> ref, long timeoutMs) {
    checkRunning();
    checkTimeout(timeoutMs);
    ObjectRefImpl<?> r = asRef(ref);
    Result res = await(storedResultOf(r), timeoutMs, timeoutMs, r);
    if (res instanceof Result.Failed) {
      decode(res); // throws the error
    }
  }

  /**
   * Diagnostics: true if {@code ref} is a {@code put} value this node owns whose {@code put}
   * returned before it was stored (written behind), whether or not the write has ended since.
   */
  public boolean isWrittenBehind(ObjectRef<?> ref) {
    Entry e = entries.get(asRef(ref).objectId());
    return e != null && e.writing != null;
  }

  /**
   * Diagnostics: where an owned value is stored or, while it is written behind, where it is being
   * written; {@code null} if it is inline or a pending task's.
   */
  public StoredLocation plannedLocationOf(ObjectRef<?> ref) {
    Entry e = entries.get(asRef(ref).objectId());
    if (e == null) {
      return null;
    }
    Result r = e.result.getNow(null);
    if (r == null && e.writing != null) {
      return e.writing.location();
    }
    return r instanceof Result.Stored s ? s.location() : null;
  }

  /** Where an owned object's value is stored, or {@code null} if it is inline or pending. */
  public StoredLocation storedLocationOf(ObjectRef<?> ref) {
    Entry e = entries.get(asRef(ref).objectId());
    if (e != null && e.writing != null) {
      awaitStored(ref, UNBOUNDED_MS);
    }
    Result r = e == null ? null : e.result.getNow(null);
    return r instanceof Result.Stored s ? s.location() : null;
  }

  private final java.util.concurrent.atomic.AtomicBoolean resetScheduled =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Resets lost partitions a moment after a loss, once the partition exchange settled (only the
   * oldest server acts). Until then writers avoid lost partitions and reads of them report loss.
   */
  private void scheduleLostPartitionReset() {
    if (resetScheduled.compareAndSet(false, true)) {
      CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS, recovery)
          .execute(
              () -> {
                resetScheduled.set(false);
                if (running) {
                  store.resetLostPartitions();
                }
              });
    }
  }

  /**
   * Fate-sharing: frees the stored objects a departed node owned, and their lineage rows (in this
   * node's partitions).
   */
  private void releaseObjectsOf(UUID left, long prefix) {
    try {
      int n = store.removeOwnedBy(prefix);
      if (n > 0 && log.isInfoEnabled()) {
        log.info("Flare: freed " + n + " chunks of objects owned by departed node " + left);
      }
    } catch (RuntimeException e) {
      if (running) {
        log.warning("Flare: could not free the objects of departed node " + left + ": " + e);
      }
    }
    if (lineage != null) {
      try {
        lineage.removeOwnedBy(left);
      } catch (RuntimeException e) {
        if (running) {
          log.warning("Flare: could not drop the lineage rows of departed node " + left + ": " + e);
        }
      }
    }
  }

  /** The lineage table, or {@code null} when lineage is off. INTERNAL API. */
  public io.flare.lineage.LineageTable lineageTable() {
    return lineage;
  }

  /** Number of lost results this node computed again. */
  public long reconstructions() {
    return reconstructions.get();
  }

  /** Re-runs the task that produced {@code e}, whose stored value at {@code lostAt} is gone. */
  private void reconstruct(Entry e, StoredLocation lostAt) {
    synchronized (e) {
      Result cur = e.result.getNow(null);
      if (!(cur instanceof Result.Stored s) || !s.location().equals(lostAt)) {
        return; // already being computed again, or the value moved on
      }
      e.result = new CompletableFuture<>();
    }
    reconstructions.incrementAndGet();
    rerun(e);
  }

  /**
   * Runs a task again: first computes again every stored argument that was lost (recursively,
   * through the lineage the task keeps), then dispatches it as a new attempt.
   */
  private void rerun(Entry e) {
    PendingTask t = e.task;
    if (t.lossReruns.incrementAndGet() > 5) {
      complete(e, lost(e.id, "it was lost and computing it again failed 5 times"));
      return;
    }
    recovery.execute(
        () -> {
          PendingTask.Dep[] deps = t.deps;
          List<Integer> redo = new ArrayList<>();
          if (deps != null) {
            for (int i = 0; i < deps.length; i++) {
              if (deps[i] != null && t.args[i] instanceof StoredLocation l && !store.exists(l)) {
                redo.add(i);
              }
            }
          }
          if (redo.isEmpty()) {
            redispatch(e);
            return;
          }
          AtomicInteger remaining = new AtomicInteger(redo.size());
          for (int pos : redo) {
            StoredLocation was = (StoredLocation) t.args[pos];
            depAgain(deps[pos], was, t)
                .whenComplete(
                    (res, ex) -> {
                      if (res instanceof Result.Failed) {
                        complete(e, res);
                        return;
                      }
                      t.args[pos] =
                          res instanceof Result.Inline in
                              ? in.bytes()
                              : ((Result.Stored) res).location();
                      if (remaining.decrementAndGet() == 0) {
                        redispatch(e);
                      }
                    });
          }
        });
  }

  private void redispatch(Entry e) {
    PendingTask t = e.task;
    t.spec = t.spec.withAttempt(t.spec.attempt() + 1);
    t.node = null;
    dispatch(e);
  }

  /** The value of a lost argument, computed again. */
  private CompletableFuture<Result> depAgain(
      PendingTask.Dep d, StoredLocation was, PendingTask user) {
    if (!d.owner().equals(localId)) {
      return refetch(d.owner(), d.id());
    }
    Entry de = entries.get(d.id());
    if (de == null) {
      if (d.lineage() == null) {
        return CompletableFuture.completedFuture(
            lost(d.id(), "it was a put value and every copy is gone"));
      }
      // freed here since: bring it back from its lineage for as long as the user needs it
      Entry fresh = new Entry(d.id(), d.lineage());
      fresh.pins.incrementAndGet();
      Entry raced = entries.putIfAbsent(d.id(), fresh);
      de = raced != null ? raced : fresh;
      if (raced == null) {
        synchronized (user.pinned) {
          user.pinned.add(fresh);
        }
        reconstructions.incrementAndGet();
        rerun(fresh);
      }
      return de.result;
    }
    if (de.task == null) {
      return CompletableFuture.completedFuture(
          lost(d.id(), "it was a put value and every copy is gone"));
    }
    reconstruct(de, was);
    return de.result;
  }

  /** Asks a borrowed object's owner again, telling it the value it gave was lost. */
  private CompletableFuture<Result> refetch(UUID owner, ObjectId id) {
    fetches.remove(id);
    Fetch nf = new Fetch(owner, new CompletableFuture<>());
    Fetch f = fetches.putIfAbsent(id, nf);
    if (f != null) {
      return f.result();
    }
    if (ignite.cluster().node(owner) == null) {
      completeFetch(id, lost(id, "its owner node " + owner + " left the cluster"));
    } else {
      transport.send(owner, Message.REFETCH, id);
    }
    return nf.result();
  }

  /** Waits {@code timeoutMs} (what is left of the caller's {@code requestedMs}) for a result. */
  private Result await(
      CompletableFuture<Result> f, long timeoutMs, long requestedMs, ObjectRefImpl<?> ref) {
    Result r = f.getNow(null);
    if (r != null) {
      return r;
    }
    refuseWaitingOnOwnCall(ref);
    try {
      return timeoutMs == Long.MAX_VALUE ? f.get() : f.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new GetTimeoutException(
          "Timed out after "
              + requestedMs
              + " ms waiting for object "
              + ref.getId()
              + describe(ref));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlareException("Interrupted while waiting for object " + ref.getId(), e);
    } catch (ExecutionException e) {
      throw new FlareException(
          "Unexpected failure waiting for object " + ref.getId(), e.getCause());
    }
  }

  /**
   * An actor method that waits for the result of a call on its own actor would wait for ever: the
   * call cannot start before the running method returns (one method at a time). Fails at once
   * instead, saying so (Ray hangs).
   */
  private void refuseWaitingOnOwnCall(ObjectRefImpl<?> ref) {
    TaskContext ctx = TaskContext.current();
    if (ctx == null || ctx.actorId == null || !ref.owner().equals(localId)) {
      return;
    }
    Entry e = entries.get(ref.objectId());
    PendingTask t = e == null ? null : e.task;
    if (t != null && t.actor != null && !e.isDone() && ctx.actorId.equals(t.actor.getId())) {
      throw new FlareException(
          "Actor "
              + t.actor
              + " waits for the result of its own call "
              + t.displayName()
              + " ("
              + ref.getId()
              + "), which cannot start before the running method returns (an actor runs one"
              + " method at a time): it would wait for ever. Call the method directly, or return"
              + " the ref instead of waiting for it");
    }
  }

  private String describe(ObjectRefImpl<?> ref) {
    if (ref.owner().equals(localId)) {
      Entry e = entries.get(ref.objectId());
      if (e != null && e.task != null) {
        return " (the result of task " + e.task.displayName() + ")";
      }
    }
    return "";
  }

  @Override
  public <T> List<T> get(List<ObjectRef<T>> refs, long timeoutMs) {
    checkRunning();
    checkTimeout(timeoutMs);
    if (refs == null) {
      throw new NullPointerException("refs must not be null");
    }
    long deadline = deadlineOf(timeoutMs);
    // Every remote fetch starts at once; the first value that is an error (a task that threw or
    // was cancelled) fails the whole call at once, as in Ray, without waiting for the others.
    CompletableFuture<ObjectRef<T>> firstError = new CompletableFuture<>();
    for (ObjectRef<T> ref : refs) {
      resultOf(asRef(ref))
          .thenAccept(
              res -> {
                if (res instanceof Result.Failed) {
                  firstError.complete(ref);
                }
              });
    }
    List<T> out = new ArrayList<>(refs.size());
    for (ObjectRef<T> ref : refs) {
      long left =
          deadline == Long.MAX_VALUE
              ? Long.MAX_VALUE
              : Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
      CompletableFuture<Result> mine = resultOf(asRef(ref));
      if (!mine.isDone() && !firstError.isDone()) {
        refuseWaitingOnOwnCall(asRef(ref));
        try {
          CompletableFuture<Object> either = CompletableFuture.anyOf(mine, firstError);
          if (left == Long.MAX_VALUE) {
            either.get();
          } else {
            either.get(left, TimeUnit.MILLISECONDS);
          }
        } catch (TimeoutException e) {
          ObjectRefImpl<?> r = asRef(ref);
          throw new GetTimeoutException(
              "Timed out after "
                  + timeoutMs
                  + " ms waiting for object "
                  + r.getId()
                  + describe(r)
                  + " (in a get of "
                  + refs.size()
                  + ")");
        } catch (ExecutionException e) {
          // not completed exceptionally by anything here; the get below reports it
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new FlareException("Interrupted while waiting for object " + ref.getId(), e);
        }
      }
      if (!mine.isDone() && firstError.isDone()) {
        get(firstError.join(), Long.MAX_VALUE); // throws that value's error
      }
      out.add(get(ref, left));
    }
    return out;
  }

  @Override
  public <T> WaitResult<T> wait(List<ObjectRef<T>> refs, int numReturns, long timeoutMs) {
    return wait(refs, numReturns, timeoutMs, false);
  }

  @Override
  public <T> WaitResult<T> wait(
      List<ObjectRef<T>> refs, int numReturns, long timeoutMs, boolean fetchLocal) {
    checkRunning();
    if (refs == null) {
      throw new NullPointerException("refs must not be null");
    }
    checkTimeout(timeoutMs);
    if (refs.isEmpty()) {
      return new WaitResult<>(List.of(), List.of());
    }
    if (numReturns < 1 || numReturns > refs.size()) {
      throw new IllegalArgumentException(
          "numReturns must be between 1 and the number of refs ("
              + refs.size()
              + "), got "
              + numReturns);
    }
    Set<ObjectRefImpl<?>> seen = new HashSet<>();
    List<CompletableFuture<Result>> futures = new ArrayList<>(refs.size());
    for (ObjectRef<T> ref : refs) {
      ObjectRefImpl<?> r = asRef(ref);
      if (!seen.add(r)) {
        throw new IllegalArgumentException("refs holds the same ObjectRef twice: " + r.getId());
      }
      futures.add(fetchLocal ? resultOf(r).thenCompose(this::fetchHere) : resultOf(r));
    }
    int done = 0;
    for (CompletableFuture<Result> f : futures) {
      if (f.isDone()) {
        done++;
      }
    }
    if (done < numReturns && timeoutMs > 0) {
      CompletableFuture<Void> enough = new CompletableFuture<>();
      AtomicInteger count = new AtomicInteger(done);
      int need = numReturns;
      for (CompletableFuture<Result> f : futures) {
        if (!f.isDone()) {
          f.whenComplete(
              (r, ex) -> {
                if (count.incrementAndGet() >= need) {
                  enough.complete(null);
                }
              });
        }
      }
      if (count.get() >= need) {
        enough.complete(null);
      }
      try {
        if (timeoutMs == Long.MAX_VALUE) {
          enough.get();
        } else {
          enough.get(timeoutMs, TimeUnit.MILLISECONDS);
        }
      } catch (TimeoutException e) {
        // return what is ready
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FlareException("Interrupted in Flare.wait", e);
      } catch (ExecutionException e) {
        throw new FlareException("Unexpected failure in Flare.wait", e.getCause());
      }
    }
    List<ObjectRef<T>> ready = new ArrayList<>();
    List<ObjectRef<T>> unready = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      if (ready.size() < numReturns && futures.get(i).isDone()) {
        ready.add(refs.get(i));
      } else {
        unready.add(refs.get(i));
      }
    }
    return new WaitResult<>(ready, unready);
  }

  /**
   * For {@code wait(..., fetchLocal)}: completes once a stored value's chunks are in this node's
   * chunk cache (fetched on the I/O pool); other results are here already. A fetch that fails still
   * completes: the value's {@code get} reports why.
   */
  private CompletableFuture<Result> fetchHere(Result r) {
    if (!(r instanceof Result.Stored s) || store.inChunkCache(s.location())) {
      return CompletableFuture.completedFuture(r);
    }
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            store.fetchIntoChunkCache(s.location());
          } catch (RuntimeException e) {
            // lost or freed: get says so
          }
          return r;
        },
        io);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> toFuture(ObjectRef<T> ref) {
    checkRunning();
    ObjectRefImpl<?> r = asRef(ref);
    CompletableFuture<T> out = new CompletableFuture<>();
    resultOf(r)
        .whenComplete(
            (res, ex) -> {
              Runnable finish = () -> finishFuture(ref, out, res, ex);
              if (!running) {
                finish.run(); // Flare stopped (stop() completes every pending read): no pools
                return;
              }
              try {
                io.execute(finish);
              } catch (java.util.concurrent.RejectedExecutionException stopping) {
                finish.run();
              }
            });
    return out;
  }

  /**
   * Completes a {@link #toFuture} future as {@code get} would end: with the value, or with the
   * exception {@code get} throws — also when Flare stops meanwhile, so no such future is left
   * pending.
   */
  @SuppressWarnings("unchecked")
  private <T> void finishFuture(
      ObjectRef<T> ref, CompletableFuture<T> out, Result res, Throwable ex) {
    if (ex != null) {
      out.completeExceptionally(ex);
      return;
    }
    try {
      out.complete((T) decode(res));
    } catch (io.flare.api.exception.ObjectLostException lost) {
      if (!running) {
        out.completeExceptionally(lost); // what get throws once Flare stopped
        return;
      }
      // lost since it was made: as get does, compute it again (or say it is gone), waiting on a
      // thread that may block
      try {
        recovery.execute(
            () -> {
              try {
                out.complete(get(ref, Long.MAX_VALUE));
              } catch (IllegalStateException stopped) {
                out.completeExceptionally(running ? stopped : lost);
              } catch (Throwable t) {
                out.completeExceptionally(t);
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        out.completeExceptionally(lost);
      }
    } catch (Throwable t) {
      out.completeExceptionally(t);
    }
  }

  @Override
  public void cancel(ObjectRef<?> ref) {
    checkRunning();
    ObjectRefImpl<?> r = asRef(ref);
    if (!r.owner().equals(localId)) {
      transport.send(r.owner(), Message.CANCEL, r.objectId());
      return;
    }
    cancelOwned(r.objectId());
  }

  private void cancelOwned(ObjectId id) {
    Entry e = entries.get(id);
    if (e == null || e.task == null || e.isDone()) {
      return;
    }
    PendingTask t = e.task;
    t.cancelled = true;
    if (complete(e, cancelledResult(t.displayName(), id))) {
      UUID node = t.node;
      if (node != null) {
        if (node.equals(localId)) {
          if (t.actor != null) {
            actors.cancelCall(id); // waiting in its actor's mailbox here
          } else {
            worker.cancel(id);
          }
        } else {
          transport.send(node, Message.CANCEL, id);
        }
      }
    }
  }

  // ---------------------------------------------------------------- tasks

  @Override
  public <R> ObjectRef<R> submitTask(Serializable function, Object[] args, TaskOptions options) {
    checkRunning();
    if (options.maxRetries() == TaskOptions.RUNTIME_DEFAULT) {
      options =
          new TaskOptions(
              options.name(),
              options.resources(),
              config.getDefaultMaxRetries(),
              options.retryExceptions());
    }
    Functions.Described described = Functions.describe(function, "Flare.task");
    FunctionDescriptor fd = described.descriptor();
    String display = options.name() != null ? options.name() : fd.displayName();
    scheduler.checkFeasible(options.resources(), display);
    List<Message.Contained> nested = new ArrayList<>(0);
    Object[] encoded = encodeArgs(args, described.refParameters(), display, nested);
    return submit(fd, encoded, options, null, 0, nested);
  }

  @Override
  public <R> ObjectRef<R> submitActorTask(
      ActorHandle<?> actor, Serializable method, Object[] args) {
    checkRunning();
    if (!(actor instanceof ActorHandleImpl<?> handle)) {
      throw new IllegalArgumentException("not a Flare actor handle: " + actor);
    }
    Functions.Described described = Functions.describe(method, "ActorHandle.task");
    FunctionDescriptor fd = described.descriptor();
    actors.checkMethod(handle, fd);
    boolean[] refParams = described.refParameters();
    boolean[] shifted = new boolean[args.length];
    for (int i = 0; i < args.length; i++) {
      shifted[i] = i + 1 < refParams.length && refParams[i + 1];
    }
    List<Message.Contained> nested = new ArrayList<>(0);
    Object[] encoded = encodeArgs(args, shifted, fd.displayName(), nested);
    long seq = actors.nextSeq(handle);
    return submit(fd, encoded, TaskOptions.DEFAULT, handle, seq, nested);
  }

  /**
   * Serializes the plain arguments of a call; {@code ObjectRef} arguments stay in place to be
   * resolved (except where the parameter itself is declared as an {@code ObjectRef}).
   */
  Object[] encodeArgs(Object[] args, boolean[] passRef, String function) {
    return encodeArgs(args, passRef, function, new ArrayList<>());
  }

  /** As above; refs serialized inside the arguments are added to {@code nested}. */
  Object[] encodeArgs(
      Object[] args, boolean[] passRef, String function, List<Message.Contained> nested) {
    // one collection scope for all arguments: refs nested anywhere in them, each counted once
    return collecting(() -> encodeEach(args, passRef, function), nested);
  }

  private Object[] encodeEach(Object[] args, boolean[] passRef, String function) {
    Object[] encoded = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof ObjectRef<?> ref && !(i < passRef.length && passRef[i])) {
        encoded[i] = asRef(ref);
      } else if (FlareSerializer.arraySerializedSize(a) > inlineThreshold) {
        encoded[i] = put(a); // a large array goes to the store once, not into every message
      } else {
        byte[] b = serializeArg(a, i, function);
        encoded[i] = b.length <= inlineThreshold ? b : putSerialized(b);
      }
    }
    return encoded;
  }

  /** Stores already-serialized bytes as an object owned here. */
  private ObjectRefImpl<?> putSerialized(byte[] bytes) {
    ObjectId id = ids.next();
    Entry e = new Entry(id, null);
    e.result.complete(new Result.Stored(store.write(id, bytes, true)));
    entries.put(id, e);
    return new ObjectRefImpl<>(id, localId, this);
  }

  static boolean allResolved(Object[] encoded) {
    for (Object o : encoded) {
      if (o instanceof ObjectRefImpl<?>) {
        return false;
      }
    }
    return true;
  }

  /** Resolves the ref arguments of {@code encoded} asynchronously, in place. */
  void resolveArgs(Object[] encoded, Consumer<Object[]> ready, Consumer<ErrorInfo> failed) {
    AtomicInteger remaining = new AtomicInteger();
    for (Object o : encoded) {
      if (o instanceof ObjectRefImpl<?>) {
        remaining.incrementAndGet();
      }
    }
    java.util.concurrent.atomic.AtomicBoolean failedOnce =
        new java.util.concurrent.atomic.AtomicBoolean();
    for (int i = 0; i < encoded.length; i++) {
      if (encoded[i] instanceof ObjectRefImpl<?> dep) {
        int pos = i;
        storedResultOf(dep)
            .whenComplete(
                (res, ex) -> {
                  if (res instanceof Result.Failed f) {
                    if (failedOnce.compareAndSet(false, true)) {
                      failed.accept(f.error());
                    }
                    return;
                  }
                  encoded[pos] =
                      res instanceof Result.Inline in
                          ? in.bytes()
                          : ((Result.Stored) res).location();
                  if (remaining.decrementAndGet() == 0 && !failedOnce.get()) {
                    ready.accept(encoded);
                  }
                });
      }
    }
  }

  Object[] decodeArgs(Object[] raw) {
    Object[] out = new Object[raw.length];
    for (int i = 0; i < raw.length; i++) {
      out[i] = decodeArg(raw[i]);
    }
    return out;
  }

  private <R> ObjectRef<R> submit(
      FunctionDescriptor fd,
      Object[] encoded,
      TaskOptions options,
      ActorHandleImpl<?> actor,
      long seq,
      List<Message.Contained> nested) {
    List<Integer> refPositions = null;
    for (int i = 0; i < encoded.length; i++) {
      if (encoded[i] instanceof ObjectRefImpl<?>) {
        if (refPositions == null) {
          refPositions = new ArrayList<>(encoded.length);
        }
        refPositions.add(i);
      }
    }
    List<Entry> pinned = new ArrayList<>(0);
    PendingTask task =
        new PendingTask(
            fd,
            encoded,
            options,
            refPositions == null ? 0 : refPositions.size(),
            pinned,
            actor,
            seq);
    if (refPositions != null) {
      PendingTask.Dep[] deps = new PendingTask.Dep[encoded.length];
      for (int pos : refPositions) {
        ObjectRefImpl<?> dep = (ObjectRefImpl<?>) encoded[pos];
        PendingTask producer = null;
        if (dep.owner().equals(localId)) {
          Entry de = entries.get(dep.objectId());
          producer = de == null ? null : de.task;
        }
        deps[pos] = new PendingTask.Dep(dep.objectId(), dep.owner(), producer);
      }
      task.deps = deps;
    }
    if (!nested.isEmpty()) {
      retain(nested); // refs inside the arguments live at least until the task ends
      task.contained = nested;
    }
    ObjectId id = ids.next();
    Entry e = new Entry(id, task);
    task.spec =
        new TaskSpec(id, localId, fd, encoded, options.name(), 0).withOrigin(currentOrigin());
    entries.put(id, e);
    ObjectRefImpl<R> result = new ObjectRefImpl<>(id, localId, this);
    if (refPositions == null) {
      dispatch(e);
    } else {
      for (int pos : refPositions) {
        ObjectRefImpl<?> dep = (ObjectRefImpl<?>) encoded[pos];
        if (dep.owner().equals(localId)) {
          Entry de = entries.get(dep.objectId());
          if (de != null) {
            de.pins.incrementAndGet();
            synchronized (pinned) {
              pinned.add(de);
            }
          }
        }
        storedResultOf(dep).whenComplete((res, ex) -> onArgReady(e, pos, res));
      }
    }
    return result;
  }

  private void onArgReady(Entry e, int pos, Result res) {
    PendingTask t = e.task;
    if (res instanceof Result.Failed) {
      complete(e, res); // the dependency's error propagates unchanged
      return;
    }
    t.args[pos] = res instanceof Result.Inline i ? i.bytes() : ((Result.Stored) res).location();
    if (t.remaining.decrementAndGet() == 0) {
      dispatch(e);
    }
  }

  private void dispatch(Entry e) {
    PendingTask t = e.task;
    if (t.cancelled || e.isDone() || !running) {
      return;
    }
    if (t.actor != null) {
      actors.dispatch(e, System.currentTimeMillis());
      return;
    }
    UUID node = scheduler.pick(t, t.args);
    if (node == null) {
      complete(
          e,
          new Result.Failed(
              ErrorInfo.of(
                  ErrorInfo.Kind.SYSTEM,
                  t.displayName(),
                  localIdString,
                  "No Flare server node can run task " + t.displayName() + " now")));
      return;
    }
    t.node = node;
    if (!node.equals(localId) && scheduler.isGone(node)) {
      // it left between the pick and now (the node-left scan may already have run): never pick it
      // again, and pick once more — a loop bounded by the servers there are
      scheduler.release(node);
      scheduler.nodeLeft(node);
      t.node = null;
      dispatch(e);
      return;
    }
    TaskSpec spec = t.spec;
    if (spec.args() != t.args) {
      spec = spec.withArgs(t.args);
    }
    t.spec = spec;
    if (node.equals(localId)) {
      worker.execute(spec);
    } else {
      transport.send(node, Message.SUBMIT, spec);
    }
  }

  void completeOwned(Entry e, Result r) {
    complete(e, r);
  }

  /** Completes an owned entry once; releases what its task pinned. */
  private boolean complete(Entry e, Result r) {
    if (!e.result.complete(r)) {
      return false;
    }
    PendingTask t = e.task;
    if (t != null && !t.contained.isEmpty()) {
      List<Message.Contained> held = t.contained;
      t.contained = List.of();
      releaseContained(held);
    }
    if (lineage != null && t != null && t.actor == null && r instanceof Result.Stored) {
      lineage.record(e.id, localId, t.displayName(), Message.encodeSpec(t.spec));
      if (entries.get(e.id) != e) {
        lineage.release(e.id); // freed as soon as it completed, before its row was written
      }
    }
    if (t != null) {
      if (t.actor != null) {
        actors.callDone(t, r instanceof Result.Failed f && f.error().kind() != ErrorInfo.Kind.TASK);
      }
      List<Entry> pinned;
      synchronized (t.pinned) {
        pinned = new ArrayList<>(t.pinned);
        t.pinned.clear();
      }
      for (Entry p : pinned) {
        unpin(p);
      }
    }
    if (entries.get(e.id) != e) {
      freeStored(r); // freed while it ran
    }
    return true;
  }

  /** Runs a task on this (worker) thread; never throws. */
  Result runTask(TaskSpec spec) {
    return run(spec, null, false);
  }

  /** Runs an actor method on this thread with the actor instance first; never throws. */
  Result runActorCall(TaskSpec spec, Object instance) {
    return run(spec, instance, true);
  }

  private Result run(TaskSpec spec, Object receiver, boolean actorCall) {
    Object value;
    try {
      Functions.Invoker inv = functions().resolve(spec.function());
      int shift = actorCall ? 1 : 0;
      Object[] args = new Object[spec.args().length + shift];
      if (actorCall) {
        args[0] = receiver;
      }
      for (int i = 0; i < spec.args().length; i++) {
        try {
          args[i + shift] = decodeArg(spec.args()[i]);
        } catch (FlareSerializationException bad) {
          return serializationFailure(spec, "argument " + i, "read", bad);
        } catch (io.flare.api.exception.ObjectLostException lost) {
          // the owner computes the argument again and re-sends the task
          return new Result.Failed(
              ErrorInfo.of(
                  ErrorInfo.Kind.LOST,
                  spec.displayName(),
                  localIdString,
                  "argument "
                      + i
                      + " of "
                      + spec.displayName()
                      + " was lost: "
                      + lost.getMessage()));
        }
      }
      value = inv.invoke(args);
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError) {
        log.error("Flare: " + spec.displayName() + " failed with " + t, t);
      }
      return new Result.Failed(
          ErrorInfo.fromThrowable(ErrorInfo.Kind.TASK, spec.displayName(), localIdString, t));
    }
    try {
      List<Message.Contained> nested = new ArrayList<>(0);
      Result r = encodeValue(spec.id(), value, false, nested);
      if (!nested.isEmpty()) {
        retain(nested); // held for the result; its owner releases them when it frees it
        RESULT_CONTAINED.set(nested);
      }
      return r;
    } catch (FlareSerializationException bad) {
      return serializationFailure(spec, "the result", "stored", bad);
    } catch (Throwable t) {
      return new Result.Failed(
          ErrorInfo.fromThrowable(ErrorInfo.Kind.TASK, spec.displayName(), localIdString, t));
    }
  }

  /**
   * An argument that could not be deserialized, or a result that could not be serialized, on this
   * node: the caller's {@code get} throws {@link FlareSerializationException} (the task did not
   * throw), naming the function, the node and what the serializer said (which names the class).
   */
  private Result serializationFailure(
      TaskSpec spec, String what, String verb, FlareSerializationException e) {
    return new Result.Failed(
        ErrorInfo.of(
            ErrorInfo.Kind.SERIALIZATION,
            spec.displayName(),
            localIdString,
            what.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                + what.substring(1)
                + " of "
                + spec.displayName()
                + " could not be "
                + verb
                + " on node "
                + localIdString
                + ": "
                + e.getMessage()));
  }

  /** Refs inside the result just produced on this thread, for {@link #reportResult}. */
  private static final ThreadLocal<List<Message.Contained>> RESULT_CONTAINED = new ThreadLocal<>();

  /** Sends a task's result to its owner. */
  void reportResult(TaskSpec spec, Result r) {
    List<Message.Contained> nested = RESULT_CONTAINED.get();
    RESULT_CONTAINED.remove();
    Message.ResultItem item =
        new Message.ResultItem(spec.id(), spec.attempt(), r, nested == null ? List.of() : nested);
    if (spec.owner().equals(localId)) {
      onResult(localId, item);
    } else {
      transport.send(spec.owner(), Message.RESULT, item);
    }
  }

  private void onResult(UUID from, Message.ResultItem item) {
    Entry e = entries.get(item.id());
    List<Message.Contained> nested = item.contained();
    if (e == null || e.task == null) {
      freeStored(item.result()); // nobody wants it any more
      releaseContained(nested);
      return;
    }
    PendingTask t = e.task;
    TaskSpec spec = t.spec;
    if (spec.attempt() != item.attempt() || e.isDone()) {
      if (e.isDone() && e.result.getNow(null) != item.result()) {
        freeStored(item.result());
      }
      releaseContained(nested);
      return; // a stale attempt
    }
    Result r = item.result();
    if (r instanceof Result.Failed lf
        && lf.error().kind() == ErrorInfo.Kind.LOST
        && t.actor == null
        && lineage != null
        && t.deps != null
        && !t.cancelled) {
      scheduler.release(from);
      rerun(e); // an argument was lost on the way: compute it again, then re-send
      return;
    }
    if (t.actor != null) {
      if (r instanceof Result.Failed f && f.error().kind() == ErrorInfo.Kind.NOT_HOSTED) {
        actors.reroute(e);
        return;
      }
      completeFromWorker(e, r, nested);
      return;
    }
    scheduler.release(from);
    if (r instanceof Result.Failed f
        && f.error().kind() == ErrorInfo.Kind.TASK
        && t.options.retryExceptions()
        && t.mayRetry(spec.attempt())
        && !t.cancelled) {
      t.spec = spec.withAttempt(spec.attempt() + 1);
      dispatch(e);
      return;
    }
    completeFromWorker(e, r, nested);
  }

  /** Completes with a worker's result; the result's value holds the refs in {@code nested}. */
  private void completeFromWorker(Entry e, Result r, List<Message.Contained> nested) {
    if (nested.isEmpty()) {
      complete(e, r);
      return;
    }
    List<Message.Contained> old = e.swapContained(nested);
    if (old == Entry.FREED) {
      complete(e, r);
      releaseContained(nested); // freed while it ran
      return;
    }
    if (!complete(e, r)) {
      // not this value after all: put the old refs back, unless the entry was freed meanwhile
      // (then its free gave back nested, and old is still held)
      releaseContained(e.restoreContained(nested, old) ? nested : old);
      return;
    }
    // computed again: the lost value's refs are gone (or, if the entry was freed just now, its
    // free gave back nested and old is still held)
    releaseContained(old);
  }

  // ---------------------------------------------------------------- messages and membership

  private void onMessage(UUID from, byte type, List<Object> items) {
    switch (type) {
      case Message.SUBMIT -> {
        if (worker == null) {
          log.warning("Flare: a client node received tasks from " + from + "; dropping them");
          return;
        }
        for (Object o : items) {
          worker.execute((TaskSpec) o);
        }
      }
      case Message.RESULT -> {
        for (Object o : items) {
          onResult(from, (Message.ResultItem) o);
        }
      }
      case Message.CANCEL -> {
        for (Object o : items) {
          ObjectId id = (ObjectId) o;
          Entry e = entries.get(id);
          if (e != null) {
            cancelOwned(id); // a borrower asked the owner
          } else {
            if (worker != null) {
              worker.cancel(id); // the owner asked the worker
            }
            actors.cancelCall(id); // or the host of its actor (ids are unique: one of the two)
          }
        }
      }
      case Message.FETCH -> {
        for (Object o : items) {
          ObjectId id = (ObjectId) o;
          Entry e = entries.get(id);
          CompletableFuture<Result> f =
              e != null
                  ? e.result
                  : CompletableFuture.completedFuture(
                      lost(id, "it was freed: no ObjectRef to it remained on its owner"));
          f.whenComplete(
              (r, ex) ->
                  transport.send(from, Message.FETCH_REPLY, new Message.ResultItem(id, 0, r)));
        }
      }
      case Message.HELLO -> {
        markReady(from);
        transport.send(from, Message.READY, Boolean.TRUE);
      }
      case Message.READY -> markReady(from);
      case Message.COLLECT -> collectHere();
      case Message.REFCOUNT -> {
        for (Object o : items) {
          Message.RefDelta d = (Message.RefDelta) o;
          onDelta(d.id(), d.delta());
        }
      }
      case Message.REFETCH -> {
        for (Object o : items) {
          ObjectId id = (ObjectId) o;
          recovery.execute(() -> refetchRequest(from, id));
        }
      }
      case Message.ACTOR_CALL -> {
        for (Object o : items) {
          actors.onCall(from, (TaskSpec) o);
        }
      }
      case Message.ACTOR_CONTROL -> {
        for (Object o : items) {
          actors.onControl(from, (Message.ActorControl) o);
        }
      }
      case Message.CLASS_REQUEST -> {
        for (Object o : items) {
          io.execute(() -> serveClass(from, (Message.ClassBytes) o));
        }
      }
      case Message.CLASS_REPLY -> {
        for (Object o : items) {
          Message.ClassBytes c = (Message.ClassBytes) o;
          CompletableFuture<byte[]> f = classRequests.get(c.request());
          if (f != null) {
            f.complete(c.bytes());
          }
        }
      }
      case Message.FETCH_REPLY -> {
        for (Object o : items) {
          Message.ResultItem item = (Message.ResultItem) o;
          completeFetch(item.id(), item.result());
        }
      }
      default -> log.warning("Flare: unknown message type " + type + " from " + from);
    }
  }

  private void onNodeLeft(UUID left) {
    transport.nodeLeft(left);
    scheduleLostPartitionReset();
    spaces.remove(left); // release the classes of a driver that left
    scheduler.nodeLeft(left);
    ready.remove(left);
    for (Map.Entry<ObjectId, Fetch> f : fetches.entrySet()) {
      if (f.getValue().owner().equals(left)) {
        completeFetch(f.getKey(), lost(f.getKey(), "its owner node " + left + " left the cluster"));
      }
    }
    actors.nodeLeft(left);
    for (Entry e : entries.values()) {
      PendingTask t = e.task;
      if (t == null || e.isDone() || !left.equals(t.node)) {
        continue;
      }
      if (t.actor != null) {
        actors.onHostLost(e, left);
        continue;
      }
      TaskSpec spec = t.spec;
      if (t.mayRetry(spec.attempt())) {
        t.spec = spec.withAttempt(spec.attempt() + 1);
        t.node = null;
        dispatch(e);
      } else {
        complete(
            e,
            new Result.Failed(
                ErrorInfo.of(
                    ErrorInfo.Kind.SYSTEM,
                    t.displayName(),
                    left.toString(),
                    "Task "
                        + t.displayName()
                        + " was lost with node "
                        + left
                        + " and has no retries left (maxRetries="
                        + t.options.maxRetries()
                        + ")")));
      }
    }
  }

  // ---------------------------------------------------------------- actors

  @Override
  public <A> ActorHandle<A> createActor(
      Serializable constructor, Object[] args, ActorOptions options) {
    checkRunning();
    return actors.create(constructor, args, options);
  }

  @Override
  public <A> Optional<ActorHandle<A>> getActor(String name) {
    checkRunning();
    return actors.byName(name);
  }

  @Override
  public void kill(ActorHandleImpl<?> handle, boolean noRestart) {
    checkRunning();
    actors.kill(handle, noRestart);
  }

  // ---------------------------------------------------------------- context and lifecycle

  @Override
  public RuntimeContext getRuntimeContext() {
    checkRunning();
    return new RuntimeContext() {
      @Override
      public String getCurrentNodeId() {
        return localIdString;
      }

      @Override
      public Optional<String> getCurrentTaskId() {
        TaskContext c = TaskContext.current();
        return c == null || c.taskId == null ? Optional.empty() : Optional.of(c.taskId.toString());
      }

      @Override
      public Optional<String> getCurrentActorId() {
        TaskContext c = TaskContext.current();
        return c == null ? Optional.empty() : Optional.ofNullable(c.actorId);
      }

      @Override
      public boolean wasCurrentActorRestarted() {
        TaskContext c = TaskContext.current();
        return c != null && c.actorRestarted;
      }

      @Override
      public List<NodeInfo> getAllNodeInfo() {
        Collection<ClusterNode> nodes = ignite.cluster().nodes();
        List<NodeInfo> out = new ArrayList<>(nodes.size());
        for (ClusterNode n : nodes) {
          String host =
              n.hostNames().isEmpty()
                  ? String.join(",", n.addresses())
                  : n.hostNames().iterator().next();
          if (!n.addresses().isEmpty()) {
            host = n.addresses().iterator().next();
          }
          out.add(
              new NodeInfo(
                  n.id().toString(),
                  host,
                  !n.isClient(),
                  n.isClient() ? Map.of() : FlareAttributes.resources(n)));
        }
        return out;
      }
    };
  }

  @Override
  public void shutdown() {
    if (ownsIgnite) {
      String name = ignite.name();
      try {
        Ignition.stop(name, true);
      } catch (RuntimeException e) {
        log.warning("Flare: error stopping Ignite node " + name + ": " + e);
      }
    }
    stop();
  }

  /** Stops Flare on this node: pending reads fail instead of hanging. Idempotent. */
  public void stop() {
    if (!running) {
      return;
    }
    running = false;
    FlareRuntimes.unregister(this);
    transport.stop();
    actors.stop();
    try {
      ignite.events().stopLocalListen(nodeLeftListener);
      ignite.events().stopLocalListen(partitionLossListener);
      ignite.events().stopLocalListen(disconnectListener);
    } catch (RuntimeException ignored) {
      // stopping
    }
    Result gone =
        new Result.Failed(
            ErrorInfo.of(
                ErrorInfo.Kind.LOST,
                null,
                localIdString,
                "Flare was shut down on node "
                    + localId
                    + (stopReason == null ? "" : ": " + stopReason)));
    for (Entry e : entries.values()) {
      e.result.complete(gone);
    }
    for (Fetch f : fetches.values()) {
      f.result().complete(gone);
    }
    entries.clear();
    fetches.clear();
    if (worker != null) {
      worker.stop();
    }
    store.close();
    executors.shutdown();
  }

  @Override
  public String toString() {
    return "FlareNode{" + localId + "}";
  }
}
