package io.flare.plugin.shipped;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts how many of its tasks run at once on a server (one count per loading of the class). */
public final class ShippedSlots {
  private static final AtomicInteger RUNNING = new AtomicInteger();
  private static final AtomicInteger MOST = new AtomicInteger();

  private ShippedSlots() {}

  public static int sleepCounted(int ms) throws InterruptedException {
    int now = RUNNING.incrementAndGet();
    MOST.accumulateAndGet(now, Math::max);
    try {
      Thread.sleep(ms);
    } finally {
      RUNNING.decrementAndGet();
    }
    return ms;
  }

  public static int mostAtOnce() {
    return MOST.get();
  }
}
