package io.flare.store.serde;

import com.esotericsoftware.kryo.util.MapReferenceResolver;
import io.flare.api.exception.FlareSerializationException;

/**
 * Kryo's map-based reference tracking, made to fail loudly where Kryo would silently read null: a
 * back-reference to an object that is still being re-built. That happens when a cycle passes
 * through an object created only after its contents are read (a {@code List.of}-style immutable
 * collection, a record), which no serializer can re-create.
 */
final class FlareReferenceResolver extends MapReferenceResolver {
  @Override
  @SuppressWarnings("rawtypes")
  public Object getReadObject(Class type, int id) {
    Object object = super.getReadObject(type, id);
    if (object == null) {
      throw new FlareSerializationException(
          "Cannot deserialize: the object graph has a cycle back to an object that is re-built only"
              + " after its contents (an immutable collection such as List.of, or a record); use a"
              + " mutable collection or a plain class somewhere on the cycle");
    }
    return object;
  }
}
