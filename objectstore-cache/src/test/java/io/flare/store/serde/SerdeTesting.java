package io.flare.store.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Set;

/** Shared helpers for the serde tests. */
final class SerdeTesting {
  private SerdeTesting() {}

  /**
   * Round-trips {@code value} through both the byte[] and the stream variants, checks that they
   * write the same bytes and read back the same value (compared by serializing both copies again,
   * which also works for classes without {@code equals}), and returns the byte[] variant's copy.
   */
  @SuppressWarnings("unchecked")
  static <T> T roundTrip(FlareSerializer serializer, T value) {
    byte[] bytes = serializer.serialize(value);
    Object copy = serializer.deserialize(bytes);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      serializer.serialize(value, out);
      assertThat(out.toByteArray()).as("stream variant writes the same bytes").isEqualTo(bytes);
      Object streamed = serializer.deserialize(new ByteArrayInputStream(bytes));
      assertThat(serializer.serialize(streamed))
          .as("stream variant reads the same value")
          .isEqualTo(serializer.serialize(copy));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return (T) copy;
  }

  /** A class loader that pretends some classes do not exist, like a node without a user jar. */
  static final class HidingClassLoader extends ClassLoader {
    private final Set<String> hidden;

    HidingClassLoader(ClassLoader parent, Class<?>... hidden) {
      super(parent);
      this.hidden = Set.of(Arrays.stream(hidden).map(Class::getName).toArray(String[]::new));
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (hidden.contains(name)) {
        throw new ClassNotFoundException(name);
      }
      return super.loadClass(name, resolve);
    }
  }
}
