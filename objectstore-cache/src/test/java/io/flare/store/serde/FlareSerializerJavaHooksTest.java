package io.flare.store.serde;

import static io.flare.store.serde.SerdeTesting.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flare.api.exception.FlareSerializationException;
import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectInputStream;
import java.io.ObjectOutput;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Classes that take part in their own Java serialization, and classes with hidden fields (inner,
 * local and anonymous classes), keep what they hold.
 */
class FlareSerializerJavaHooksTest {
  private final FlareSerializer serializer =
      new FlareSerializer(FlareSerializerJavaHooksTest.class.getClassLoader());

  /** Keeps its data in a transient field and writes it itself. */
  public static final class CustomWritten implements Serializable {
    @Serial private static final long serialVersionUID = 1L;
    private transient List<Integer> data = new ArrayList<>();

    void add(int i) {
      data.add(i);
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
      out.defaultWriteObject();
      out.writeInt(data.size());
      for (int i : data) {
        out.writeInt(i);
      }
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      int n = in.readInt();
      data = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        data.add(in.readInt());
      }
    }
  }

  /** Writes itself through Externalizable only. */
  public static final class External implements Externalizable {
    private String name;
    private transient int count;

    public External() {}

    External(String name, int count) {
      this.name = name;
      this.count = count;
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
      out.writeUTF(name);
      out.writeInt(count);
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException {
      name = in.readUTF();
      count = in.readInt();
    }
  }

  /** A singleton kept single by readResolve. */
  public static final class Single implements Serializable {
    @Serial private static final long serialVersionUID = 1L;
    static final Single INSTANCE = new Single();

    private Single() {}

    @Serial
    private Object readResolve() {
      return INSTANCE;
    }
  }

  /** An outer object whose inner instances point back at it. */
  public static final class Outer {
    final String label;

    Outer(String label) {
      this.label = label;
    }

    final class Inner {
      final int n;

      Inner(int n) {
        this.n = n;
      }

      String describe() {
        return label + ":" + n;
      }
    }
  }

  @Test
  void writeObject_transientDataComesBack() {
    CustomWritten v = new CustomWritten();
    for (int i = 0; i < 1000; i++) {
      v.add(i);
    }
    CustomWritten copy = roundTrip(serializer, v);
    assertThat(copy.data).hasSize(1000).containsExactlyElementsOf(v.data);
  }

  @Test
  void externalizable_fieldsComeBack() {
    External copy = roundTrip(serializer, new External("x", 42));
    assertThat(copy.name).isEqualTo("x");
    assertThat(copy.count).isEqualTo(42);
  }

  @Test
  void readResolve_keepsASingletonSingle() {
    assertThat(roundTrip(serializer, Single.INSTANCE)).isSameAs(Single.INSTANCE);
    List<Object> both = roundTrip(serializer, List.of(Single.INSTANCE, Single.INSTANCE));
    assertThat(both.get(0)).isSameAs(Single.INSTANCE).isSameAs(both.get(1));
  }

  @Test
  void innerAndAnonymousClasses_keepTheirHiddenFields() {
    Outer.Inner inner = new Outer("outer").new Inner(7);
    assertThat(roundTrip(serializer, inner).describe()).isEqualTo("outer:7");
    assertThat(serializer.deserialize(serializer.serialize(anonymous(5))).toString())
        .isEqualTo("captured 5");
  }

  /** An anonymous class made in a static method: it holds only what it captured. */
  private static Object anonymous(int captured) {
    return new Object() {
      @Override
      public String toString() {
        return "captured " + captured;
      }
    };
  }

  /** Writes a {@link java.net.URI} inside its own Java stream. */
  public static final class UriHolder implements Serializable {
    @Serial private static final long serialVersionUID = 1L;
    private transient java.net.URI uri = java.net.URI.create("https://flare.io");

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
      out.writeObject(uri);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      uri = (java.net.URI) in.readObject();
    }
  }

  @Test
  void aClassOutsideTheAllowList_insideAJavaStream_isRefused() {
    byte[] bytes = serializer.serialize(new UriHolder());
    assertThat(((UriHolder) serializer.deserialize(bytes)).uri)
        .isEqualTo(java.net.URI.create("https://flare.io"));
    serializer.setAllowedClassPrefixes(List.of("com.example."));
    assertThatThrownBy(() -> serializer.deserialize(bytes)) // the URI inside its Java stream
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageContaining(UriHolder.class.getName())
        .hasMessageContaining("com.example.");
  }
}
