package io.flare.store.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.flare.api.exception.FlareSerializationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlareSerializerErrorTest {
  private final FlareSerializer serializer =
      new FlareSerializer(FlareSerializerErrorTest.class.getClassLoader());

  static final class Holder {
    final Object value;

    Holder(Object value) {
      this.value = value;
    }
  }

  static final class Outer {
    final Holder inner;

    Outer(Holder inner) {
      this.inner = inner;
    }
  }

  /** Exists where it is written, missing where {@link SerdeTesting.HidingClassLoader} reads. */
  record OnlyOnWriter(String payload) {}

  /** Its custom serializer (registered by a test's customizer) always throws. */
  static final class Explosive {}

  static final class ChainLink {
    ChainLink next;
  }

  static Stream<Arguments> jvmBoundValues() throws IOException {
    Pipe pipe = Pipe.open();
    pipe.source().close();
    pipe.sink().close();
    Socket socket = new Socket();
    socket.close();
    Runnable notSerializable = () -> {};
    return Stream.of(
        Arguments.of(named("Thread", (Supplier<Object>) Thread::currentThread), "thread"),
        Arguments.of(
            named("InputStream", (Supplier<Object>) () -> new ByteArrayInputStream(new byte[1])),
            "stream"),
        Arguments.of(
            named("OutputStream", (Supplier<Object>) ByteArrayOutputStream::new), "stream"),
        Arguments.of(named("Reader", (Supplier<Object>) () -> new StringReader("x")), "reader"),
        Arguments.of(named("Socket", (Supplier<Object>) () -> socket), "socket"),
        Arguments.of(named("Channel", (Supplier<Object>) pipe::source), "channel"),
        Arguments.of(
            named("ClassLoader", (Supplier<Object>) () -> new URLClassLoader(new URL[0], null)),
            "class loader"),
        Arguments.of(
            named("non-Serializable lambda", (Supplier<Object>) () -> notSerializable),
            "Serializable"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jvmBoundValues")
  void failsNamingClass_whenValueIsBoundToThisJvm(Supplier<Object> valueSupplier, String reason) {
    Object value = valueSupplier.get();
    String className = value.getClass().getName();

    assertThatThrownBy(() -> serializer.serialize(value))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageStartingWith("Cannot serialize value of class " + className + ": ")
        .hasMessageContaining(reason);
    assertThatThrownBy(() -> serializer.serialize(new Outer(new Holder(value))))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageStartingWith(
            "Cannot serialize value of class "
                + className
                + " (field value of "
                + Holder.class.getName()
                + ", field inner of "
                + Outer.class.getName()
                + "): ")
        .hasMessageContaining(reason);
  }

  @Test
  void namesCollectionInPath_whenElementCannotBeSerialized() {
    List<Object> list = new ArrayList<>(List.of("ok", Thread.currentThread()));

    assertThatThrownBy(() -> serializer.serialize(new Holder(Map.of("k", list))))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageStartingWith(
            "Cannot serialize value of class java.lang.Thread (in java.util.ArrayList, in "
                + Map.of("k", list).getClass().getName()
                + ", field value of "
                + Holder.class.getName()
                + "): ");
  }

  @Test
  void failsNamingClassAndCause_whenASerializerThrows() {
    FlareSerializer withExplosive =
        new FlareSerializer(
            getClass().getClassLoader(),
            kryo ->
                kryo.register(
                    Explosive.class,
                    new Serializer<Explosive>() {
                      @Override
                      public void write(Kryo k, Output output, Explosive object) {
                        throw new IllegalStateException("boom");
                      }

                      @Override
                      public Explosive read(Kryo k, Input input, Class<? extends Explosive> type) {
                        return new Explosive();
                      }
                    }));

    assertThatThrownBy(() -> withExplosive.serialize(new Holder(new Explosive())))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessage(
            "Cannot serialize value of class "
                + Explosive.class.getName()
                + " (field value of "
                + Holder.class.getName()
                + "): java.lang.IllegalStateException: boom")
        .hasRootCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void staysUsable_afterAFailure() {
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> serializer.serialize(new Holder(Thread.currentThread())))
          .isInstanceOf(FlareSerializationException.class);
      assertThat(serializer.deserialize(serializer.serialize(List.of(i)))).isEqualTo(List.of(i));
    }
  }

  @Test
  void failsNamingMissingClass_whenClassNotOnReadingNode() {
    byte[] topLevel = serializer.serialize(new OnlyOnWriter("p"));
    byte[] nested = serializer.serialize(new Outer(new Holder(new OnlyOnWriter("p"))));
    FlareSerializer reader =
        new FlareSerializer(
            new SerdeTesting.HidingClassLoader(getClass().getClassLoader(), OnlyOnWriter.class));

    assertThatThrownBy(() -> reader.deserialize(topLevel))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessage(
            "Cannot deserialize: class " + OnlyOnWriter.class.getName() + " not found on this node")
        .hasCauseInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> reader.deserialize(new ByteArrayInputStream(nested)))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessage(
            "Cannot deserialize: class "
                + OnlyOnWriter.class.getName()
                + " not found on this node (field value of "
                + Holder.class.getName()
                + ", field inner of "
                + Outer.class.getName()
                + ")");
  }

  @Test
  void acceptsEveryClass_whenAllowListOff() {
    assertThat(serializer.getAllowedClassPrefixes()).isEmpty();
    assertThat(serializer.deserialize(serializer.serialize(URI.create("a:b"))))
        .isEqualTo(URI.create("a:b"));
  }

  @Test
  void rejectsClassOutsidePrefixes_whenAllowListOn() {
    byte[] uri = serializer.serialize(new Holder(URI.create("https://flare.io")));
    byte[] uriArray = serializer.serialize(new URI[] {URI.create("x:y")});
    serializer.setAllowedClassPrefixes(List.of("com.example."));

    assertThatThrownBy(() -> serializer.deserialize(uri))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageStartingWith(
            "Cannot deserialize: class java.net.URI is not allowed on this node")
        .hasMessageContaining("com.example.")
        .hasMessageEndingWith("(field value of " + Holder.class.getName() + ")");
    assertThatThrownBy(() -> serializer.deserialize(uriArray))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageContaining("class [Ljava.net.URI; is not allowed");
  }

  @Test
  void acceptsListedPrefixesAndJdkBasics_whenAllowListOn() {
    Object value =
        List.of(
            new Holder(URI.create("https://flare.io")),
            Map.of("when", java.time.Instant.EPOCH, "amount", java.math.BigDecimal.TEN),
            new long[] {1},
            new int[][] {{2}});
    byte[] bytes = serializer.serialize(value);
    serializer.setAllowedClassPrefixes(List.of("java.net."));

    Object copy = serializer.deserialize(bytes);

    assertThat(serializer.getAllowedClassPrefixes()).containsExactly("java.net.");
    assertThat(((Holder) ((List<?>) copy).get(0)).value).isEqualTo(URI.create("https://flare.io"));
  }

  @Test
  void acceptsEverythingAgain_whenAllowListCleared() {
    byte[] bytes = serializer.serialize(URI.create("a:b"));
    serializer.setAllowedClassPrefixes(List.of("com.example."));
    serializer.setAllowedClassPrefixes(List.of());

    assertThat(serializer.deserialize(bytes)).isEqualTo(URI.create("a:b"));
  }

  @Test
  void rejectsBlankPrefix() {
    assertThatThrownBy(() -> serializer.setAllowedClassPrefixes(Arrays.asList("com.", " ")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> serializer.setAllowedClassPrefixes(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void failsClearly_whenBytesAreTruncatedOrForeign() {
    byte[] graph = serializer.serialize(List.of("a long enough string", 123456789L));
    byte[] array = serializer.serialize(new long[] {1, 2, 3});

    assertThatThrownBy(() -> serializer.deserialize(Arrays.copyOf(graph, graph.length - 5)))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> serializer.deserialize(Arrays.copyOf(array, array.length - 1)))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageContaining("long[]")
        .hasMessageContaining("truncated");
    assertThatThrownBy(
            () -> serializer.deserialize(new ByteArrayInputStream(Arrays.copyOf(array, 10))))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> serializer.deserialize(new byte[] {42, 0}))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageContaining("unknown format tag 42");
    assertThatThrownBy(() -> serializer.deserialize(new byte[0]))
        .isInstanceOf(FlareSerializationException.class);
    assertThatThrownBy(() -> serializer.deserialize(InputStream.nullInputStream()))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void failsClearly_whenGraphIsTooDeepForTheStack() {
    ChainLink head = new ChainLink();
    ChainLink link = head;
    for (int i = 0; i < 200_000; i++) {
      link.next = new ChainLink();
      link = link.next;
    }
    ChainLink deep = head;

    assertThatThrownBy(() -> serializer.serialize(deep))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageContaining("nested too deeply");
    assertThat(serializer.deserialize(serializer.serialize(List.of(1)))).isEqualTo(List.of(1));
  }

  @Test
  void passesOnStreamFailure_whenOutputStreamThrows() {
    IOException diskFull = new IOException("disk full");
    OutputStream failing =
        new OutputStream() {
          private int written;

          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > 100_000) {
              throw diskFull;
            }
          }
        };
    Object graph = new Holder(new long[50_000]);

    assertThatThrownBy(() -> serializer.serialize(graph, failing)).isSameAs(diskFull);
    assertThatThrownBy(() -> serializer.serialize(new long[50_000], failing)).isSameAs(diskFull);
  }

  @Test
  void passesOnStreamFailure_whenInputStreamThrows() {
    byte[] bytes = serializer.serialize(new Holder(new long[50_000]));
    IOException reset = new IOException("connection reset");
    InputStream failing =
        new InputStream() {
          private int read;

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (read > 100_000) {
              throw reset;
            }
            int n = Math.min(len, bytes.length - read);
            System.arraycopy(bytes, read, b, off, n);
            read += n;
            return n;
          }
        };

    assertThatThrownBy(() -> serializer.deserialize(failing)).isSameAs(reset);
  }
}
