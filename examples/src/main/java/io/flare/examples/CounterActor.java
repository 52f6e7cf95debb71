package io.flare.examples;

import io.flare.api.ActorHandle;
import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import java.util.ArrayList;
import java.util.List;

/**
 * An actor, from the Ray tutorial: a {@code Counter} class becomes a stateful service that lives
 * somewhere in the cluster; its methods run one at a time, so concurrent increments never race.
 *
 * <p>In Ray:
 *
 * <pre>
 * &#64;ray.remote
 * class Counter:
 *     def __init__(self): self.value = 0
 *     def increment(self): self.value += 1; return self.value
 *     def get_value(self): return self.value
 *
 * c = Counter.remote()
 * ray.get([c.increment.remote() for _ in range(10)])   # [1, 2, ..., 10]
 * </pre>
 *
 * <p>In Flare, {@code Flare.actor(Counter::new).remote()} creates the actor and returns its handle
 * at once; {@code counter.task(Counter::increment).remote()} calls a method and returns an {@link
 * ObjectRef}. Calls made by one thread run in the order it made them, so the ten results are 1 to
 * 10.
 *
 * <p>Expected output:
 *
 * <pre>
 * CounterActor: increments=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], value=10 in 0.05 s
 * </pre>
 *
 * <p>Run it alone with {@code mvn -q -pl examples exec:exec@run-examples
 * -Dexample=io.flare.examples.CounterActor}.
 */
public final class CounterActor {
  static final int INCREMENTS = 10;

  private CounterActor() {}

  /** The actor class: a plain Java class; nothing Flare-specific in it. */
  public static class Counter {
    private int value;

    public int increment() {
      return ++value;
    }

    public int getValue() {
      return value;
    }
  }

  /** Creates a counter, increments it ten times without waiting, then reads it. */
  public static List<Integer> run() {
    ActorHandle<Counter> counter = Flare.actor(Counter::new).remote();
    List<ObjectRef<Integer>> refs = new ArrayList<>();
    for (int i = 0; i < INCREMENTS; i++) {
      refs.add(counter.task(Counter::increment).remote());
    }
    List<Integer> out = new ArrayList<>(Flare.get(refs));
    out.add(Flare.get(counter.task(Counter::getValue).remote()));
    counter.kill();
    return out;
  }

  static void runAndPrint() {
    long start = System.nanoTime();
    List<Integer> all = run();
    double seconds = ExampleSupport.secondsSince(start);
    List<Integer> increments = all.subList(0, INCREMENTS);
    int value = all.get(INCREMENTS);
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i <= INCREMENTS; i++) {
      expected.add(i);
    }
    ExampleSupport.check(
        increments.equals(expected) && value == INCREMENTS,
        "CounterActor: expected " + expected + " and value " + INCREMENTS + ", got " + all);
    System.out.printf(
        "CounterActor: increments=%s, value=%d in %s%n",
        increments, value, ExampleSupport.seconds(seconds));
  }

  public static void main(String[] args) {
    Flare.init();
    try {
      runAndPrint();
    } finally {
      Flare.shutdown();
    }
  }
}
