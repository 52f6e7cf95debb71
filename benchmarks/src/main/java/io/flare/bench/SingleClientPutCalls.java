package io.flare.bench;

import io.flare.plugin.FlareRuntime;
import io.flare.store.serde.FlareSerializer;

/**
 * {@code single_client_put_calls}: calls per second of {@code flare.put(0)} from one thread on the
 * server node (the ref is dropped at once). Peer: {@code IgniteCache<Integer, byte[]>.put} of the
 * bytes Flare's serializer makes of {@code 0}, under 1,024 rotating keys.
 *
 * <p>Run: {@code benchmarks/run single_client_put_calls}.
 */
public final class SingleClientPutCalls extends PairedBenchmark {
  static final Integer VALUE = 0;

  public SingleClientPutCalls() {
    super("single_client_put_calls", "calls/s", Side.EMBEDDED);
  }

  @Override
  protected String baseline(Peer peer) {
    return peer.label(Peer.Op.PUT);
  }

  @Override
  protected Trial flare(Driver driver, Settings settings) {
    FlareRuntime flare = driver.flare();
    return () -> Measure.rate(settings.roundMillis(), 1, () -> flare.put(VALUE));
  }

  @Override
  protected Trial peer(Driver driver, Settings settings) {
    Peer peer = driver.peer();
    byte[] bytes = serialized(VALUE);
    int[] key = {0};
    return () -> Measure.rate(settings.roundMillis(), 1, () -> peer.put(key[0]++ & 1023, bytes));
  }

  /** {@code value} as Flare's serializer writes it. */
  static byte[] serialized(Object value) {
    return new FlareSerializer(Fns.class.getClassLoader()).serialize(value);
  }
}
