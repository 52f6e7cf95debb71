package io.flare.bench;

import org.apache.ignite.lang.IgniteCallable;

/**
 * The work both sides run: static methods for Flare tasks, and the same bodies as {@link
 * IgniteCallable}s for the peer.
 */
public final class Fns {
  private Fns() {}

  /** The smallest task: no arguments, a small result (Ray's {@code small_value}). */
  public static int small() {
    return 0;
  }

  /** Sleeps {@code sleepMs}, then returns {@code i * i} (the parallel-tasks seed's {@code f}). */
  public static int sleepSquare(long sleepMs, int i) throws InterruptedException {
    Thread.sleep(sleepMs);
    return i * i;
  }

  /** Sleeps {@code sleepMs}, then returns {@code a + b} (the aggregation seed's {@code add}). */
  public static int slowAdd(long sleepMs, int a, int b) throws InterruptedException {
    Thread.sleep(sleepMs);
    return a + b;
  }

  /** {@link #small()} as a peer job. */
  public static final class Small implements IgniteCallable<Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer call() {
      return small();
    }
  }

  /** {@link #sleepSquare} as a peer job. */
  public static final class SleepSquare implements IgniteCallable<Integer> {
    private static final long serialVersionUID = 1L;
    private final long sleepMs;
    private final int i;

    public SleepSquare(long sleepMs, int i) {
      this.sleepMs = sleepMs;
      this.i = i;
    }

    @Override
    public Integer call() throws InterruptedException {
      return sleepSquare(sleepMs, i);
    }
  }

  /** {@link #slowAdd} as a peer job. */
  public static final class SlowAdd implements IgniteCallable<Integer> {
    private static final long serialVersionUID = 1L;
    private final long sleepMs;
    private final int a;
    private final int b;

    public SlowAdd(long sleepMs, int a, int b) {
      this.sleepMs = sleepMs;
      this.a = a;
      this.b = b;
    }

    @Override
    public Integer call() throws InterruptedException {
      return slowAdd(sleepMs, a, b);
    }
  }
}
