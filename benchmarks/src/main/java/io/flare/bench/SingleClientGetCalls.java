package io.flare.bench;

import io.flare.api.ObjectRef;
import io.flare.plugin.FlareRuntime;

/**
 * {@code single_client_get_calls}: calls per second of {@code flare.get(ref)} of one small value
 * put before ({@code flare.put(0)}), from one thread on the server node. Peer: {@code
 * IgniteCache<Integer, byte[]>.get} of the same serialized bytes put under one key.
 *
 * <p>Run: {@code benchmarks/run single_client_get_calls}.
 */
public final class SingleClientGetCalls extends PairedBenchmark {
  public SingleClientGetCalls() {
    super("single_client_get_calls", "calls/s", Side.EMBEDDED);
  }

  @Override
  protected String baseline(Peer peer) {
    return peer.label(Peer.Op.GET);
  }

  @Override
  protected Trial flare(Driver driver, Settings settings) {
    FlareRuntime flare = driver.flare();
    ObjectRef<Integer> ref = flare.put(SingleClientPutCalls.VALUE);
    return () -> Measure.rate(settings.roundMillis(), 1, () -> flare.get(ref));
  }

  @Override
  protected Trial peer(Driver driver, Settings settings) {
    Peer peer = driver.peer();
    peer.put(-1, SingleClientPutCalls.serialized(SingleClientPutCalls.VALUE));
    return () -> Measure.rate(settings.roundMillis(), 1, () -> peer.get(-1));
  }
}
