package io.flare.store.serde;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import java.io.FileDescriptor;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.Reader;
import java.io.Writer;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channel;
import java.nio.channels.Selector;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * One pooled Kryo instance, set up for Flare values, used by one thread at a time.
 *
 * <p>Besides Kryo's configuration it owns a 64 KiB block through which primitive arrays are copied
 * in bulk, and it overrides Kryo's public read and write entry points only to catch failures: the
 * innermost one turns the failure into a {@link GraphFailure} naming the class it was working on,
 * and every enclosing one adds its own class, so the caller learns where in the graph it failed.
 * This costs nothing until something fails.
 */
final class FlareKryo extends Kryo {
  static final int BLOCK_SIZE = 64 * 1024;

  private final byte[] block = new byte[BLOCK_SIZE];
  private final ByteBuffer blockBuffer = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
  private final Supplier<AllowList> allowList;

  /** The class of the object being read at each depth, for error messages. */
  private Class<?>[] readTypes = new Class<?>[32];

  private FlareKryo(Supplier<AllowList> allowList) {
    super(new FlareClassResolver(allowList), new FlareReferenceResolver());
    this.allowList = allowList;
  }

  /** A Kryo with Flare's setup, then {@code customizer}'s (which therefore wins). */
  static FlareKryo create(
      ClassLoader loader, Supplier<AllowList> allowList, Consumer<Kryo> customizer) {
    FlareKryo kryo = new FlareKryo(allowList);
    kryo.setRegistrationRequired(false);
    kryo.setWarnUnregisteredClasses(false);
    kryo.setReferences(true);
    kryo.setClassLoader(loader);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    // Classes without a serializer of their own: field by field, the hidden fields too (an inner
    // class's outer instance, a local or anonymous class's captured values); a class that takes
    // part in its own Java serialization (writeObject, Externalizable, readResolve...) through it.
    com.esotericsoftware.kryo.serializers.FieldSerializer.FieldSerializerConfig fields =
        new com.esotericsoftware.kryo.serializers.FieldSerializer.FieldSerializerConfig();
    fields.setIgnoreSyntheticFields(false);
    com.esotericsoftware.kryo.SerializerFactory.FieldSerializerFactory byFields =
        new com.esotericsoftware.kryo.SerializerFactory.FieldSerializerFactory(fields);
    JavaHooksSerializer javaHooks = new JavaHooksSerializer(allowList);
    kryo.setDefaultSerializer(
        new com.esotericsoftware.kryo.SerializerFactory.BaseSerializerFactory<Serializer<?>>() {
          @Override
          public Serializer<?> newSerializer(Kryo k, Class type) {
            return JavaHooksSerializer.wants(type) ? javaHooks : byFields.newSerializer(k, type);
          }
        });

    for (PrimitiveArrayCodec codec : PrimitiveArrayCodec.values()) {
      if (codec != PrimitiveArrayCodec.BYTES && codec != PrimitiveArrayCodec.BOOLEANS) {
        kryo.register(codec.type, new BulkArraySerializer(codec)); // Kryo's byte[] is bulk already
      }
    }
    kryo.register(ClosureSerializer.Closure.class, new LambdaSerializer()); // all lambdas

    refuse(kryo, "a thread runs in the JVM that started it", Thread.class, ThreadGroup.class);
    refuse(kryo, "a class loader belongs to the JVM that created it", ClassLoader.class);
    refuse(
        kryo,
        "a stream, reader or writer is tied to a resource of this JVM; send its contents instead",
        InputStream.class,
        OutputStream.class,
        Reader.class,
        Writer.class,
        RandomAccessFile.class,
        FileDescriptor.class);
    refuse(
        kryo,
        "a socket, channel or selector is an open connection of this JVM",
        Socket.class,
        ServerSocket.class,
        DatagramSocket.class,
        Channel.class,
        Selector.class);
    refuse(kryo, "a process handle belongs to the JVM that started it", Process.class);

    JdkCollectionSerializerFactory jdkCollections = new JdkCollectionSerializerFactory();
    kryo.addDefaultSerializer(Collection.class, jdkCollections);
    kryo.addDefaultSerializer(Map.class, jdkCollections);
    kryo.addDefaultSerializer(
        JdkImmutableSerializers.KEY_VALUE_HOLDER,
        new JdkImmutableSerializers.EntrySerializer(Map::entry));
    kryo.addDefaultSerializer(
        AbstractMap.SimpleImmutableEntry.class,
        new JdkImmutableSerializers.EntrySerializer(AbstractMap.SimpleImmutableEntry::new));
    kryo.addDefaultSerializer(
        AbstractMap.SimpleEntry.class,
        new JdkImmutableSerializers.EntrySerializer(AbstractMap.SimpleEntry::new));
    kryo.addDefaultSerializer(EnumMap.class, new JdkEnumMapSerializer(true));
    kryo.register(java.util.LinkedHashMap.class, new LinkedHashMapSerializer()); // exactly it
    // JDK value classes with final fields in closed packages: no reflection needed for these.
    kryo.addDefaultSerializer(UUID.class, new DefaultSerializers.UUIDSerializer());
    kryo.addDefaultSerializer(URI.class, new DefaultSerializers.URISerializer());
    kryo.addDefaultSerializer(Pattern.class, new DefaultSerializers.PatternSerializer());
    kryo.addDefaultSerializer(
        AtomicBoolean.class, new DefaultSerializers.AtomicBooleanSerializer());
    kryo.addDefaultSerializer(
        AtomicInteger.class, new DefaultSerializers.AtomicIntegerSerializer());
    kryo.addDefaultSerializer(AtomicLong.class, new DefaultSerializers.AtomicLongSerializer());
    kryo.addDefaultSerializer(
        AtomicReference.class, new DefaultSerializers.AtomicReferenceSerializer());

    if (customizer != null) {
      customizer.accept(kryo);
    }
    return kryo;
  }

  private static void refuse(Kryo kryo, String reason, Class<?>... types) {
    Serializer<?> refusing = new RefusingSerializer(reason);
    for (Class<?> type : types) {
      kryo.addDefaultSerializer(type, refusing);
    }
  }

  AllowList allowList() {
    return allowList.get();
  }

  byte[] block() {
    return block;
  }

  /** The block as a little-endian buffer positioned at 0. */
  ByteBuffer clearedBlock() {
    return blockBuffer.clear();
  }

  // ---- write entry points: report where a failure happened ----

  @Override
  public void writeClassAndObject(Output output, Object object) {
    try {
      super.writeClassAndObject(output, object);
    } catch (RuntimeException e) {
      throw GraphFailure.writing(e, object);
    }
  }

  @Override
  public void writeObject(Output output, Object object) {
    try {
      super.writeObject(output, object);
    } catch (RuntimeException e) {
      throw GraphFailure.writing(e, object);
    }
  }

  @Override
  @SuppressWarnings("rawtypes")
  public void writeObject(Output output, Object object, Serializer serializer) {
    try {
      super.writeObject(output, object, serializer);
    } catch (RuntimeException e) {
      throw GraphFailure.writing(e, object);
    }
  }

  @Override
  @SuppressWarnings("rawtypes")
  public void writeObjectOrNull(Output output, Object object, Class type) {
    try {
      super.writeObjectOrNull(output, object, type);
    } catch (RuntimeException e) {
      throw GraphFailure.writing(e, object);
    }
  }

  @Override
  @SuppressWarnings("rawtypes")
  public void writeObjectOrNull(Output output, Object object, Serializer serializer) {
    try {
      super.writeObjectOrNull(output, object, serializer);
    } catch (RuntimeException e) {
      throw GraphFailure.writing(e, object);
    }
  }

  // ---- read entry points ----

  @Override
  public Registration readClass(Input input) {
    Registration registration;
    try {
      registration = super.readClass(input);
    } catch (RuntimeException e) {
      throw GraphFailure.reading(e, null); // field serializers read classes directly
    }
    int depth = getDepth();
    if (registration != null && depth < readTypes.length && readTypes[depth] == null) {
      readTypes[depth] = registration.getType(); // the first class read at a depth is its object's
    }
    return registration;
  }

  @Override
  public Object readClassAndObject(Input input) {
    int depth = getDepth() + 1;
    if (depth >= readTypes.length) {
      readTypes = Arrays.copyOf(readTypes, Math.max(depth + 1, readTypes.length * 2));
    }
    readTypes[depth] = null;
    try {
      return super.readClassAndObject(input);
    } catch (RuntimeException e) {
      throw GraphFailure.reading(e, readTypes[depth]);
    } finally {
      if (depth == 1) {
        Arrays.fill(readTypes, null); // hold no classes between calls
      }
    }
  }

  @Override
  public <T> T readObject(Input input, Class<T> type) {
    try {
      return super.readObject(input, type);
    } catch (RuntimeException e) {
      throw GraphFailure.reading(e, type);
    }
  }

  @Override
  @SuppressWarnings("rawtypes")
  public <T> T readObject(Input input, Class<T> type, Serializer serializer) {
    try {
      return super.readObject(input, type, serializer);
    } catch (RuntimeException e) {
      throw GraphFailure.reading(e, type);
    }
  }

  @Override
  public <T> T readObjectOrNull(Input input, Class<T> type) {
    try {
      return super.readObjectOrNull(input, type);
    } catch (RuntimeException e) {
      throw GraphFailure.reading(e, type);
    }
  }

  @Override
  @SuppressWarnings("rawtypes")
  public <T> T readObjectOrNull(Input input, Class<T> type, Serializer serializer) {
    try {
      return super.readObjectOrNull(input, type, serializer);
    } catch (RuntimeException e) {
      throw GraphFailure.reading(e, type);
    }
  }
}
