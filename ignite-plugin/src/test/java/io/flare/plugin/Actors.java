package io.flare.plugin;

import io.flare.api.ActorHandle;
import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import java.util.ArrayList;
import java.util.List;

/** Actor classes used by the tests. */
public final class Actors {
  private Actors() {}

  /** A counter. */
  public static class Counter {
    /** Counted down by {@link #sleepLong} when it starts (tests in this JVM set a fresh one). */
    static volatile java.util.concurrent.CountDownLatch SLEEPING =
        new java.util.concurrent.CountDownLatch(1);

    /** Calls of {@link #sleepLong} that were interrupted. */
    static final java.util.concurrent.atomic.AtomicInteger INTERRUPTED =
        new java.util.concurrent.atomic.AtomicInteger();

    private int value;

    public Counter() {}

    public Counter(int start) {
      this.value = start;
    }

    public int increment() {
      return ++value;
    }

    public int add(int d) {
      value += d;
      return value;
    }

    public int getValue() {
      return value;
    }

    public int fail(String why) {
      throw new IllegalStateException(why);
    }

    public String whereAmI() {
      return Flare.getRuntimeContext().getCurrentNodeId();
    }

    public String actorId() {
      return Flare.getRuntimeContext().getCurrentActorId().orElse("none");
    }

    public boolean restarted() {
      return Flare.getRuntimeContext().wasCurrentActorRestarted();
    }

    public void reset() {
      value = 0;
    }

    public int slowIncrement(int ms) throws InterruptedException {
      Thread.sleep(ms);
      return ++value;
    }

    /**
     * Counts down {@link #SLEEPING}, then keeps its thread busy for {@code ms}, deaf to interrupts.
     */
    public int spin(int ms) {
      SLEEPING.countDown();
      long end = System.nanoTime() + ms * 1_000_000L;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
      return ++value;
    }

    /** Counts down {@link #SLEEPING}, then sleeps; counts an interrupt in {@link #INTERRUPTED}. */
    public int sleepLong(int ms) throws InterruptedException {
      SLEEPING.countDown();
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        INTERRUPTED.incrementAndGet();
        throw e;
      }
      return ++value;
    }
  }

  /** Not a Counter: its methods cannot be called on a Counter actor. */
  public static class Other {
    public int other() {
      return 1;
    }
  }

  /** Records the order calls arrive in. */
  public static class Log {
    private final List<Integer> seen = new ArrayList<>();

    public int append(int x) {
      seen.add(x);
      return seen.size();
    }

    public List<Integer> seen() {
      return new ArrayList<>(seen);
    }
  }

  /** An actor that calls itself. */
  public static class SelfCaller {
    public int ping() {
      return 7;
    }

    /** Waits for a call on its own actor: would never end. */
    public int waitForOwnCall(ActorHandle<SelfCaller> me) {
      return me.task(SelfCaller::ping).remote().get();
    }

    public int waitForOwnCallInAList(ActorHandle<SelfCaller> me) {
      return Flare.get(List.of(me.task(SelfCaller::ping).remote())).get(0);
    }

    /** Returns the ref of a call on itself: fine, nobody waits here. */
    public ObjectRef<Integer> returnOwnCall(ActorHandle<SelfCaller> me) {
      return me.task(SelfCaller::ping).remote();
    }
  }

  /** A constructor that throws. */
  public static class Broken {
    public Broken() {
      throw new IllegalArgumentException("cannot build");
    }

    public int ping() {
      return 1;
    }
  }

  /** An actor that holds another actor's handle and submits tasks. */
  public static class Proxy {
    private final ActorHandle<Counter> counter;

    public Proxy(ActorHandle<Counter> counter) {
      this.counter = counter;
    }

    public int incrementTwice() {
      counter.task(Counter::increment).remote().get();
      return counter.task(Counter::increment).remote().get();
    }

    public int taskSum(int n) {
      List<ObjectRef<Integer>> refs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        refs.add(Flare.task(Fns::inc, i).remote());
      }
      int s = 0;
      for (int v : Flare.get(refs)) {
        s += v;
      }
      return s;
    }
  }

  /** The seed's message store. */
  public static class MessageStore {
    private final List<String> messages = new ArrayList<>();

    public void add(String m) {
      messages.add(m);
    }

    public List<String> getAndClear() {
      List<String> out = new ArrayList<>(messages);
      messages.clear();
      return out;
    }
  }

  /** A task that pushes messages to a store through a handle passed to it. */
  public static int pushMessages(ActorHandle<MessageStore> store, int worker, int n) {
    for (int i = 0; i < n; i++) {
      store.task(MessageStore::add, "w" + worker + "-" + i).remote();
    }
    return n;
  }

  /** Calls a counter from a task, in order, and returns the last value. */
  public static int incrementFromTask(ActorHandle<Counter> c, int times) {
    int last = 0;
    List<ObjectRef<Integer>> refs = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      refs.add(c.task(Counter::increment).remote());
    }
    for (ObjectRef<Integer> r : refs) {
      last = r.get();
    }
    return last;
  }
}
