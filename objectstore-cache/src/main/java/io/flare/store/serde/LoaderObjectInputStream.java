package io.flare.store.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * A Java-serialization stream that resolves classes with a given class loader (the application's on
 * this node) before the JDK's default.
 */
public final class LoaderObjectInputStream extends ObjectInputStream {
  private final ClassLoader loader;

  public LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
    super(in);
    this.loader = loader;
  }

  @Override
  protected Class<?> resolveClass(ObjectStreamClass desc)
      throws IOException, ClassNotFoundException {
    try {
      return Class.forName(desc.getName(), false, loader);
    } catch (ClassNotFoundException e) {
      return super.resolveClass(desc);
    }
  }
}
