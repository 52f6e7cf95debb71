package io.flare.bench;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.flare.api.ObjectRef;
import io.flare.plugin.FlareRuntime;
import io.flare.store.ObjectRefImpl;
import io.flare.store.serde.FlareSerializer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code single_client_get_object_containing_10k_refs}: calls per second of {@code flare.get(ref)}
 * where the value behind {@code ref} is a {@code List} of 10,000 {@code ObjectRef}s (each the ref
 * of a small value put before), from one thread on the server node. Each call reads the list's
 * bytes (about 330 KB, over the inline threshold, so from the object store) and re-creates 10,000
 * refs, each registered with its owner. Peer: {@code IgniteCache<Integer, byte[]>.get} of a {@code
 * byte[]} of the same serialized size (computed with Flare's serializer, refs written as Flare
 * writes them: id and owner, 32 bytes).
 *
 * <p>Run: {@code benchmarks/run single_client_get_object_containing_10k_refs}.
 */
public final class SingleClientGetObjectContaining10kRefs extends PairedBenchmark {
  static final int REFS = 10_000;

  public SingleClientGetObjectContaining10kRefs() {
    super("single_client_get_object_containing_10k_refs", "calls/s", Side.EMBEDDED);
  }

  @Override
  protected String baseline(Peer peer) {
    return peer.label(Peer.Op.GET) + " of as many bytes";
  }

  private List<ObjectRef<Integer>> refs;

  @Override
  protected Trial flare(Driver driver, Settings settings) {
    FlareRuntime flare = driver.flare();
    refs = new ArrayList<>(REFS);
    for (int i = 0; i < REFS; i++) {
      refs.add(flare.put(i));
    }
    ObjectRef<List<ObjectRef<Integer>>> outer = flare.put(refs);
    return () ->
        Measure.rate(
            settings.roundMillis(),
            1,
            () -> {
              List<ObjectRef<Integer>> got = flare.get(outer);
              if (got.size() != REFS) {
                throw new IllegalStateException("got " + got.size() + " refs, expected " + REFS);
              }
            });
  }

  @Override
  protected Trial peer(Driver driver, Settings settings) {
    Peer peer = driver.peer();
    int size = serializedSize(refs);
    System.out.printf("  (a list of %d refs serializes to %,d bytes)%n", REFS, size);
    peer.put(-2, new byte[size]);
    return () -> Measure.rate(settings.roundMillis(), 1, () -> peer.get(-2));
  }

  /** The size Flare's serializer gives {@code refs}, with refs written as Flare writes them. */
  static int serializedSize(List<? extends ObjectRef<?>> refs) {
    FlareSerializer serde =
        new FlareSerializer(
            Fns.class.getClassLoader(), kryo -> kryo.register(ObjectRefImpl.class, new Ref(), 100));
    return serde.serialize(new ArrayList<>(refs)).length;
  }

  /** Writes a ref as Flare does: object id (two longs) and owner (two longs). */
  private static final class Ref extends Serializer<ObjectRefImpl<?>> {
    @Override
    public void write(Kryo kryo, Output out, ObjectRefImpl<?> ref) {
      out.writeLong(ref.objectId().hi());
      out.writeLong(ref.objectId().lo());
      out.writeLong(ref.owner().getMostSignificantBits());
      out.writeLong(ref.owner().getLeastSignificantBits());
    }

    @Override
    public ObjectRefImpl<?> read(Kryo kryo, Input in, Class<? extends ObjectRefImpl<?>> type) {
      throw new UnsupportedOperationException("only sizes are computed");
    }
  }
}
