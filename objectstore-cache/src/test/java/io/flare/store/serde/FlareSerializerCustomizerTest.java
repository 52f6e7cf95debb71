package io.flare.store.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FlareSerializerCustomizerTest {
  /** Stands in for the runtime's ObjectRef implementation: only its id travels. */
  record Ticket(String id, String origin) {}

  static final class TicketSerializer extends Serializer<Ticket> {
    @Override
    public void write(Kryo kryo, Output output, Ticket ticket) {
      output.writeString(ticket.id());
    }

    @Override
    public Ticket read(Kryo kryo, Input input, Class<? extends Ticket> type) {
      return new Ticket(input.readString(), "restored");
    }
  }

  @Test
  void appliesCustomizer_toEveryNewKryo() {
    AtomicInteger calls = new AtomicInteger();
    FlareSerializer serializer =
        new FlareSerializer(
            getClass().getClassLoader(),
            kryo -> {
              calls.incrementAndGet();
              kryo.register(Ticket.class, new TicketSerializer());
            });

    Object copy = serializer.deserialize(serializer.serialize(List.of(new Ticket("t-1", "here"))));

    assertThat(copy).isEqualTo(List.of(new Ticket("t-1", "restored")));
    assertThat(calls.get()).isPositive();
  }

  @Test
  void customizerWins_overFlareDefaults() {
    FlareSerializer serializer =
        new FlareSerializer(
            getClass().getClassLoader(),
            kryo ->
                kryo.register(
                    Thread.class,
                    new Serializer<Thread>() {
                      @Override
                      public void write(Kryo k, Output output, Thread thread) {
                        output.writeString(thread.getName());
                      }

                      @Override
                      public Thread read(Kryo k, Input input, Class<? extends Thread> type) {
                        return new Thread(input.readString());
                      }
                    }));
    Thread thread = new Thread("worker-7");

    Thread copy = (Thread) serializer.deserialize(serializer.serialize(thread));

    assertThat(copy.getName()).isEqualTo("worker-7");
  }

  @Test
  void failsFast_whenCustomizerThrows() {
    assertThatThrownBy(
            () ->
                new FlareSerializer(
                    getClass().getClassLoader(),
                    kryo -> {
                      throw new IllegalStateException("bad customizer");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("bad customizer");
  }

  @Test
  void rejectsNullClassLoader() {
    assertThatThrownBy(() -> new FlareSerializer(null, null))
        .isInstanceOf(NullPointerException.class);
  }
}
