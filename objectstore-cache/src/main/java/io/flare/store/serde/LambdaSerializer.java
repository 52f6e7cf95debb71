package io.flare.store.serde;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import io.flare.api.exception.FlareSerializationException;
import java.io.Serializable;

/**
 * Lambdas and method references: a {@link Serializable} one travels as its {@code SerializedLambda}
 * (its captured values go through Kryo); any other one fails clearly, since the JVM offers no way
 * to re-create it elsewhere.
 */
final class LambdaSerializer extends ClosureSerializer {
  @Override
  public void write(Kryo kryo, Output output, Object object) {
    if (!(object instanceof Serializable)) {
      throw new FlareSerializationException(
          "a lambda or method reference whose functional interface is not Serializable cannot"
              + " leave this JVM; give it a Serializable target type (such as Flare's FlareFunc"
              + " interfaces)");
    }
    super.write(kryo, output, object);
  }
}
