package io.flare.bench;

import io.flare.api.ObjectRef;
import io.flare.api.WaitResult;
import io.flare.plugin.FlareRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code single_client_wait_1k_refs}: calls per second of {@code flare.wait(refs)} on the same
 * 1,000 refs, all ready (values put before), from one thread on the server node; each call returns
 * all 1,000 as ready. What is measured is the cost of a {@code wait} that need not block: looking
 * up 1,000 results and building the ready and unready lists. Peer: one "call" is a {@code get()} on
 * each of 1,000 {@code IgniteFuture}s of {@code compute().callAsync} jobs that completed before the
 * round (Ignite has no wait-for-N call, so this is how raw Ignite code waits for all of them).
 *
 * <p>Run: {@code benchmarks/run single_client_wait_1k_refs}.
 */
public final class SingleClientWait1kRefs extends PairedBenchmark {
  static final int REFS = 1_000;

  public SingleClientWait1kRefs() {
    super("single_client_wait_1k_refs", "calls/s", Side.EMBEDDED);
  }

  @Override
  protected String baseline(Peer peer) {
    return peer.label(Peer.Op.WAIT);
  }

  @Override
  protected Trial flare(Driver driver, Settings settings) {
    FlareRuntime flare = driver.flare();
    List<ObjectRef<Integer>> refs = new ArrayList<>(REFS);
    for (int i = 0; i < REFS; i++) {
      refs.add(flare.put(i));
    }
    return () ->
        Measure.rate(
            settings.roundMillis(),
            1,
            () -> {
              WaitResult<Integer> w = flare.wait(refs);
              if (w.getReady().size() != REFS) {
                throw new IllegalStateException(
                    "Flare.wait on "
                        + REFS
                        + " ready refs found "
                        + w.getReady().size()
                        + " ready");
              }
            });
  }

  @Override
  protected Trial peer(Driver driver, Settings settings) {
    Peer peer = driver.peer();
    List<Peer.PeerFuture<Integer>> futures = new ArrayList<>(REFS);
    for (int i = 0; i < REFS; i++) {
      futures.add(peer.callAsync(new Fns.Small()));
    }
    for (Peer.PeerFuture<Integer> f : futures) {
      f.get();
    }
    return () ->
        Measure.rate(
            settings.roundMillis(),
            1,
            () -> {
              for (Peer.PeerFuture<Integer> f : futures) {
                f.get();
              }
            });
  }
}
