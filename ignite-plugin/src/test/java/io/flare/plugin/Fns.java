package io.flare.plugin;

import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Remote functions used by the tests. */
public final class Fns {
  private Fns() {}

  /** Released by tests to let {@link #awaitGate()} tasks finish. */
  public static volatile CountDownLatch gate = new CountDownLatch(1);

  public static int zero() {
    return 0;
  }

  public static int inc(int x) {
    return x + 1;
  }

  public static int add(int a, int b) {
    return a + b;
  }

  public static long sum6(int a, long b, int c, int d, int e, int f) {
    return a + b + c + d + e + f;
  }

  public static String concat(String a, String b) {
    return a + b;
  }

  public static int fib(int n) {
    if (n < 2) {
      return n;
    }
    ObjectRef<Integer> a = Flare.task(Fns::fib, n - 1).remote();
    ObjectRef<Integer> b = Flare.task(Fns::fib, n - 2).remote();
    return Flare.get(a) + Flare.get(b);
  }

  /** Reads the refs nested in a list, inside a task. */
  public static int sumNested(List<ObjectRef<Integer>> refs) {
    int s = 0;
    for (ObjectRef<Integer> r : refs) {
      s += r.get();
    }
    return s;
  }

  public static List<ObjectRef<Integer>> makeRefs(int n) {
    List<ObjectRef<Integer>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Flare.task(Fns::inc, i).remote());
    }
    return out;
  }

  public static int boom(int x) {
    throw new IllegalStateException("boom " + x);
  }

  public static int boomDeep(int x) {
    return helper(x);
  }

  private static int helper(int x) {
    throw new ArithmeticException("deep " + x);
  }

  public static int sleepy(int ms) throws InterruptedException {
    Thread.sleep(ms);
    return ms;
  }

  public static int awaitGate() throws InterruptedException {
    if (!gate.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("gate never opened");
    }
    return 1;
  }

  public static String nodeId() {
    return Flare.getRuntimeContext().getCurrentNodeId();
  }

  public static String taskId() {
    return Flare.getRuntimeContext().getCurrentTaskId().orElse("none");
  }

  public static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31);
    }
    return b;
  }

  public static long checksum(byte[] b) {
    long s = 0;
    for (byte x : b) {
      s = s * 31 + x;
    }
    return s;
  }

  public static long[] longs(int n) {
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = i * 3L;
    }
    return a;
  }

  public static long sumLongs(long[] a) {
    long s = 0;
    for (long x : a) {
      s += x;
    }
    return s;
  }

  public static void sink(String s) {}

  public static Point movePoint(Point p, int dx) {
    return new Point(p.x() + dx, p.y());
  }

  public static Holder wrap(ObjectRef<Integer> ref) {
    return new Holder(ref, "wrapped");
  }

  public static int unwrap(Holder h) {
    return h.ref.get() * 10;
  }

  public static int sumAll(int... xs) {
    int s = 0;
    for (int x : xs) {
      s += x;
    }
    return s;
  }

  public static int countArgs(Object... xs) {
    return xs.length;
  }

  public static String joinAll(String sep, String... parts) {
    return String.join(sep, parts);
  }

  /** A result that cannot be serialized: it holds a thread. */
  public record HoldsThread(Thread thread) {}

  public static HoldsThread threadHolder() {
    return new HoldsThread(new Thread(() -> {}));
  }

  public static int threadCount(Object unused) {
    return 1;
  }

  /** A record argument. */
  public record Point(int x, int y) {}

  /** A plain class without a no-arg constructor that carries a ref. */
  public static final class Holder {
    final ObjectRef<Integer> ref;
    final String label;

    public Holder(ObjectRef<Integer> ref, String label) {
      this.ref = ref;
      this.label = label;
    }
  }

  /** An exception whose class is serializable and carries a field. */
  public static final class CustomException extends RuntimeException {
    public final int code;

    public CustomException(String m, int code) {
      super(m);
      this.code = code;
    }
  }

  /** Counts calls of {@link #flaky}. */
  public static final java.util.concurrent.atomic.AtomicInteger FLAKY_CALLS =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Throws on its first {@code failures} calls, then returns the number of calls. */
  public static int flaky(int failures) {
    int n = FLAKY_CALLS.incrementAndGet();
    if (n <= failures) {
      throw new IllegalStateException("flaky call " + n);
    }
    return n;
  }

  public static int throwCustom(int code) {
    throw new CustomException("custom failure", code);
  }
}
