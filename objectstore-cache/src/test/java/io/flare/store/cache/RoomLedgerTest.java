package io.flare.store.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoomLedgerTest {
  private static final long MIB = 1 << 20;

  @Test
  void aReservationCountsUntilItsTicketCloses() {
    RoomLedger l = new RoomLedger();
    RoomLedger.Ticket t = l.tryReserve(8 * MIB, 20 * MIB, 2 * MIB);
    assertThat(t).isNotNull();
    assertThat(l.reserved()).isEqualTo(8 * MIB);
    // 20 - 8 = 12 MiB left: 8 + 1 (an eighth) + 2 = 11 fits, 9 + 1.125 + 2 does not
    assertThat(l.wouldFit(8 * MIB, 20 * MIB, 2 * MIB)).isTrue();
    assertThat(l.tryReserve(9 * MIB, 20 * MIB, 2 * MIB)).isNull();
    t.close();
    t.close(); // once only
    assertThat(l.reserved()).isZero();
    assertThat(l.tryReserve(9 * MIB, 20 * MIB, 2 * MIB)).isNotNull();
  }

  @Test
  void racingWriters_neverPromiseMoreThanTheRoom() throws Exception {
    RoomLedger l = new RoomLedger();
    long free = 100 * MIB;
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger granted = new AtomicInteger();
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int k = 0; k < 1000; k++) {
                  if (l.tryReserve(4 * MIB, free, 4 * MIB) != null) {
                    granted.incrementAndGet();
                  }
                }
              });
      t.start();
      ts.add(t);
    }
    start.countDown();
    for (Thread t : ts) {
      t.join();
    }
    // a grant needs 4 MiB + an eighth + 4 MiB kept free beyond what is reserved: it is granted
    // while reserved <= 91.5 MiB, i.e. at 0, 4, ..., 88 MiB reserved: 23 grants, however they race
    assertThat(granted.get()).isEqualTo(23);
    assertThat(l.reserved()).isEqualTo(23 * 4 * MIB);
  }

  @Test
  void theGuardsTicket_isGivenBackByTheThreadsNextUpdate_butAWritersIsNot() {
    RoomLedger l = new RoomLedger();
    RoomLedger.Ticket writer = l.tryReserve(MIB, 100 * MIB, 0).hold();
    assertThat(l.heldHere()).isTrue();
    RoomLedger.releaseGuardTicket();
    assertThat(l.reserved()).isEqualTo(MIB);
    writer.close();
    assertThat(l.heldHere()).isFalse();
    l.tryReserve(MIB, 100 * MIB, 0).holdForGuard();
    assertThat(l.reserved()).isEqualTo(MIB);
    RoomLedger.releaseGuardTicket();
    assertThat(l.reserved()).isZero();
    assertThat(l.heldHere()).isFalse();
  }
}
