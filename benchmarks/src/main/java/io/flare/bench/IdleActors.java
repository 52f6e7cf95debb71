package io.flare.bench;

import io.flare.api.ActorHandle;
import io.flare.plugin.FlareRuntime;
import java.util.List;
import java.util.Locale;

/**
 * {@code actors_idle_10k}: what {@value #ACTORS} idle actors cost on one node (the main cluster's
 * server; the benchmark JVM holds every node, so the heap is the node's heap plus the driver's
 * handles). Reads the heap in use after full collections, creates {@value #ACTORS} actors, makes
 * one call on each and gets every answer (so all exist), drops the call results and reads the heap
 * again; then kills them all. Rows:
 *
 * <ul>
 *   <li>{@code actors_idle_10k_heap} ({@code MB}): the heap with the actors, against the heap
 *       before them.
 *   <li>{@code actors_idle_10k_per_actor} ({@code KB/actor}): the difference per actor, against the
 *       heap per service of the peer: {@code ignite.services().deployAll} of {@value
 *       #PEER_SERVICES} trivial cluster singletons, measured the same way.
 * </ul>
 *
 * The log shows how long creating and killing the actors took.
 *
 * <p>Run: {@code benchmarks/run actors_idle_10k}.
 */
public final class IdleActors implements Benchmark {
  static final int ACTORS = 10_000;
  static final int PEER_SERVICES = 1_000;

  @Override
  public String name() {
    return "actors_idle_10k";
  }

  @Override
  public List<Result> run(BenchContext context) throws Exception {
    Driver driver = context.driver(Side.EMBEDDED);
    FlareRuntime flare = driver.flare();
    ManyActors.createAndCall(flare, 10).forEach(ActorHandle::kill); // shards deployed, code warm
    double before = Measure.heapUsedMbAfterGc();
    long t0 = System.nanoTime();
    List<ActorHandle<BenchActor>> handles = ManyActors.createAndCall(flare, ACTORS);
    double created = (System.nanoTime() - t0) / 1e9;
    double after = Measure.heapUsedMbAfterGc();
    long k0 = System.nanoTime();
    handles.forEach(ActorHandle::kill);
    double killed = (System.nanoTime() - k0) / 1e9;
    handles = null;
    double afterKill = Measure.heapUsedMbAfterGc();
    double perActorKb = (after - before) * 1024 / ACTORS;
    System.out.printf(
        Locale.ROOT,
        "  flare: heap %.1f MB before, %.1f MB with %,d actors (%.2f KB each), %.1f MB after"
            + " killing them; created and answered in %.2f s (%,.0f actors/s), killed in %.2f s%n",
        before,
        after,
        ACTORS,
        perActorKb,
        afterKill,
        created,
        ACTORS / created,
        killed);

    Peer peer = driver.peer();
    double peerBefore = Measure.heapUsedMbAfterGc();
    peer.deploySingletons("bench-idle-", PEER_SERVICES);
    double peerAfter = Measure.heapUsedMbAfterGc();
    peer.undeploySingletons("bench-idle-", PEER_SERVICES);
    double perServiceKb = (peerAfter - peerBefore) * 1024 / PEER_SERVICES;
    System.out.printf(
        Locale.ROOT,
        "  peer: heap %.1f MB before, %.1f MB with %,d singletons (%.2f KB each)%n",
        peerBefore,
        peerAfter,
        PEER_SERVICES,
        perServiceKb);
    return List.of(
        new Result(
            name() + "_heap", "MB", after, "heap before the actors (flare, after GC)", before),
        new Result(
            name() + "_per_actor",
            "KB/actor",
            perActorKb,
            peer.label(Peer.Op.DEPLOY_ALL) + ", heap per service (x1000)",
            perServiceKb));
  }
}
