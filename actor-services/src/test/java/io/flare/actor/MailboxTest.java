package io.flare.actor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MailboxTest {
  private final List<String> ran = new ArrayList<>();
  private final Mailbox<String> box = new Mailbox<>(Runnable::run, ran::add);
  private final UUID caller = UUID.randomUUID();

  @Test
  void callsOfOneCaller_runInSequenceOrder_whateverOrderTheyArrive() {
    box.start();
    box.offer(caller, 2, 0, "c2");
    box.offer(caller, 1, 0, "c1");
    assertThat(ran).isEmpty(); // waits for 0
    box.offer(caller, 0, 0, "c0");
    assertThat(ran).containsExactly("c0", "c1", "c2");
  }

  @Test
  void aCallThatNeverComes_isSkippedBySync() {
    box.start();
    box.offer(caller, 1, 0, "c1"); // sent while call 0 was pending; call 0 then failed unsent
    assertThat(ran).isEmpty();
    box.sync(caller, 1);
    assertThat(ran).containsExactly("c1");
  }

  @Test
  void aSyncThatOvertakesTheCallsSentBeforeIt_stillLetsThemRun() {
    box.start();
    box.sync(caller, 1); // call 0 failed unsent; the sync arrives before call 1 does
    box.offer(caller, 2, 0, "c2");
    box.offer(caller, 1, 0, "c1");
    assertThat(ran).containsExactly("c1", "c2");
  }
}
