package io.flare.store.serde;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.flare.api.exception.FlareSerializationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.function.Supplier;

/**
 * Values of classes that take part in their own Java serialization — {@link Externalizable}, or
 * {@link Serializable} with {@code writeObject}/{@code readObject}, {@code writeReplace} or {@code
 * readResolve} — are written with Java serialization, as their authors meant them to be. Kryo's
 * field-by-field copy would skip that code: data kept in transient fields and written by {@code
 * writeObject} would come back empty, and a {@code readResolve} singleton would come back as a
 * second instance.
 *
 * <p>The bytes go length-prefixed into Kryo's stream. Object refs inside are counted as nested refs
 * ({@link io.flare.store.NestedRefs}) and, when read, bind to the runtime registered in the Kryo
 * instance's context under {@code RefResolver.class}. Reading resolves classes with Kryo's class
 * loader and, when the node restricts deserialization ({@code allowedClassPrefixes}), checks every
 * class in the Java stream against the same allow-list.
 */
final class JavaHooksSerializer extends Serializer<Object> {
  private final Supplier<AllowList> allowList;

  JavaHooksSerializer(Supplier<AllowList> allowList) {
    this.allowList = allowList;
  }

  /** Whether {@code type} (outside the JDK) takes part in its own Java serialization. */
  static boolean wants(Class<?> type) {
    String name = type.getName();
    if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")) {
      return false; // JDK classes have Kryo serializers of their own, or fields Kryo copies well
    }
    if (Externalizable.class.isAssignableFrom(type)) {
      return true;
    }
    if (!Serializable.class.isAssignableFrom(type)) {
      return false;
    }
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      if (hasPrivate(c, "writeObject", ObjectOutputStream.class)
          || hasPrivate(c, "readObject", ObjectInputStream.class)
          || has(c, "writeReplace")
          || has(c, "readResolve")) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasPrivate(Class<?> c, String name, Class<?> param) {
    try {
      Method m = c.getDeclaredMethod(name, param);
      return Modifier.isPrivate(m.getModifiers()) && !Modifier.isStatic(m.getModifiers());
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static boolean has(Class<?> c, String name) {
    try {
      Method m = c.getDeclaredMethod(name);
      return !Modifier.isStatic(m.getModifiers());
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  @Override
  public void write(Kryo kryo, Output output, Object object) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(object);
    } catch (IOException e) {
      throw new FlareSerializationException(
          "Cannot serialize value of class "
              + object.getClass().getName()
              + " with its Java serialization (writeObject/writeExternal): "
              + e,
          e);
    }
    output.writeVarInt(bytes.size(), true);
    output.writeBytes(bytes.toByteArray());
  }

  @Override
  public Object read(Kryo kryo, Input input, Class<? extends Object> type) {
    byte[] bytes = input.readBytes(input.readVarInt(true));
    ClassLoader loader = kryo.getClassLoader();
    AllowList allowed = allowList.get();
    try (ObjectInputStream in =
        new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
      in.setObjectInputFilter(
          info -> {
            Class<?> c = info.serialClass();
            if (c != null && !allowed.allows(c.getName())) {
              return ObjectInputFilter.Status.REJECTED;
            }
            return ObjectInputFilter.Status.UNDECIDED;
          });
      Object context = kryo.getContext().get(io.flare.store.RefResolver.class);
      io.flare.store.RefResolver prev =
          io.flare.store.NestedRefs.readInto(
              context instanceof io.flare.store.RefResolver r ? r : null);
      Object value;
      try {
        value = in.readObject(); // refs inside bind to the node whose Kryo reads them
      } finally {
        io.flare.store.NestedRefs.readInto(prev);
      }
      kryo.reference(value);
      return value;
    } catch (java.io.InvalidClassException rejected) {
      throw new FlareSerializationException(
          "Cannot deserialize value of class "
              + type.getName()
              + ": "
              + rejected.getMessage()
              + " (allowed class prefixes: "
              + allowed.prefixes()
              + ")",
          rejected);
    } catch (IOException | ClassNotFoundException e) {
      throw new FlareSerializationException(
          "Cannot deserialize value of class "
              + type.getName()
              + " with its Java serialization (readObject/readExternal): "
              + e,
          e);
    }
  }
}
