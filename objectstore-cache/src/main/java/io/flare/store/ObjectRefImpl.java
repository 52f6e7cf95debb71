package io.flare.store;

import io.flare.api.ObjectRef;
import io.flare.api.spi.FlareRuntimeSpi;
import io.flare.api.spi.FlareRuntimes;
import io.flare.api.spi.RuntimeBound;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The one {@link ObjectRef} implementation: an object id, the id of the node that owns the object
 * (the process that created it, which answers reads of it), and the local runtime that serves this
 * instance. Flare's Kryo serializer writes the id and the owner; Java serialization does the same
 * and re-binds to the runtime that reads it. Both report the ref to {@link NestedRefs}, so refs
 * inside values are counted whichever way the value is written.
 */
public final class ObjectRefImpl<T> implements ObjectRef<T>, RuntimeBound {
  @Serial private static final long serialVersionUID = 1L;

  private final ObjectId id;
  private final UUID owner;
  private final transient RefResolver resolver;

  /** Creates a ref bound to {@code resolver}, which is told about it. */
  public ObjectRefImpl(ObjectId id, UUID owner, RefResolver resolver) {
    this.id = Objects.requireNonNull(id, "id");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.resolver = resolver;
    if (resolver != null) {
      resolver.track(this);
    }
  }

  public ObjectId objectId() {
    return id;
  }

  /** The node that owns the object. */
  public UUID owner() {
    return owner;
  }

  @Override
  public FlareRuntimeSpi runtime() {
    return resolver;
  }

  private RefResolver resolver() {
    if (resolver != null && resolver.isRunning()) {
      return resolver;
    }
    FlareRuntimeSpi rt = FlareRuntimes.current();
    if (rt instanceof RefResolver r) {
      return r;
    }
    throw new IllegalStateException("the Flare runtime " + rt + " cannot read object refs");
  }

  @Override
  public T get() {
    return resolver().get(this, Long.MAX_VALUE);
  }

  @Override
  public T get(long timeoutMs) {
    return resolver().get(this, timeoutMs);
  }

  @Override
  public String getId() {
    return id.toString();
  }

  @Override
  public CompletableFuture<T> toFuture() {
    return resolver().toFuture(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectRefImpl<?> other && other.id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "ObjectRef(" + id + ")";
  }

  /** Writes the id and the owner, and reports the ref to a collector of nested refs, if any. */
  @Serial
  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    out.defaultWriteObject();
    NestedRefs.written(this);
  }

  @Serial
  private Object readResolve() throws ObjectStreamException {
    RefResolver reader = NestedRefs.reader();
    if (reader != null) {
      return new ObjectRefImpl<>(id, owner, reader);
    }
    FlareRuntimeSpi rt = FlareRuntimes.currentOrNull();
    return new ObjectRefImpl<>(id, owner, rt instanceof RefResolver r ? r : null);
  }
}
