package io.flare.examples;

import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Aggregating values, the third step of the Ray tutorial: summing eight numbers with a slow {@code
 * add} as a chain takes seven rounds, as a tree three, because the adds of one tree level do not
 * depend on each other and run in parallel.
 *
 * <p>Each shape is written twice. The explicit form names every call; the concise form is the
 * tutorial's loop over a list of refs:
 *
 * <pre>
 * # linear: always add the first two values, put the sum in front
 * while len(values) &gt; 1:
 *     values = [add.remote(values[0], values[1])] + values[2:]
 *
 * # tree: add the first two values, put the sum at the back
 * while len(values) &gt; 1:
 *     values = values[2:] + [add.remote(values[0], values[1])]
 * </pre>
 *
 * <p>In the linear form each add takes the ref of the sum before: it cannot start until that sum is
 * ready, so the seven adds take at least 7 s whatever the cluster. In the tree form the sums go to
 * the back of the list, so the four adds of the first level, then the two of the second, are
 * submitted before anything waits for them: three levels, at least 3 s on four worker slots and 4 s
 * on two (one slot per core on an embedded node). The program prints the least time for the slots
 * it found and the time it measured. Python's list mixes plain numbers and refs; a Java list holds
 * one type, so the concise forms first {@link Flare#put} the inputs, which is cheap.
 *
 * <p>The tree reaches its bound when free slots take the ready adds in the order they were
 * submitted; the scheduler may choose otherwise (a second-level add before the last first-level
 * one), and the tree then takes a round more. The inputs are 0 to 7, whose sum is 28. Output on two
 * cores (the times vary):
 *
 * <pre>
 * Aggregation: linear (explicit) sum=28 (expected 28) in 7.01 s (7 adds of 1 s in a chain: at least 7 s)
 * Aggregation: linear (loop)     sum=28 (expected 28) in 7.01 s (7 adds of 1 s in a chain: at least 7 s)
 * Aggregation: tree (explicit)   sum=28 (expected 28) in 4.01 s (levels of 4, 2, 1 adds of 1 s on 2 worker slots: at least 4 s)
 * Aggregation: tree (loop)       sum=28 (expected 28) in 4.01 s (levels of 4, 2, 1 adds of 1 s on 2 worker slots: at least 4 s)
 * </pre>
 *
 * <p>Run it alone with {@code mvn -q -pl examples exec:exec@run-examples
 * -Dexample=io.flare.examples.Aggregation}.
 */
public final class Aggregation {
  /** The values to sum: 0 to 7. The explicit forms spell them out. */
  static final List<Integer> VALUES = List.of(0, 1, 2, 3, 4, 5, 6, 7);

  /** How long each {@link #add} sleeps. */
  static final long SLEEP_MS = 1000;

  private Aggregation() {}

  /** The slow addition: sleeps for a second, then returns {@code a + b}. Runs as a task. */
  public static int add(int a, int b) throws InterruptedException {
    Thread.sleep(SLEEP_MS);
    return a + b;
  }

  /** Sums 0 to 7 with a chain of seven adds, each written out. Blocks about 7 s. */
  public static int linearExplicit() {
    ObjectRef<Integer> s01 = Flare.task(Aggregation::add, 0, 1).remote();
    ObjectRef<Integer> s012 = Flare.task(Aggregation::add, s01, 2).remote();
    ObjectRef<Integer> s0123 = Flare.task(Aggregation::add, s012, 3).remote();
    ObjectRef<Integer> s01234 = Flare.task(Aggregation::add, s0123, 4).remote();
    ObjectRef<Integer> s012345 = Flare.task(Aggregation::add, s01234, 5).remote();
    ObjectRef<Integer> s0123456 = Flare.task(Aggregation::add, s012345, 6).remote();
    ObjectRef<Integer> s01234567 = Flare.task(Aggregation::add, s0123456, 7).remote();
    return Flare.get(s01234567);
  }

  /** Sums 0 to 7 with a tree of seven adds in three levels, each written out. */
  public static int treeExplicit() {
    ObjectRef<Integer> s01 = Flare.task(Aggregation::add, 0, 1).remote();
    ObjectRef<Integer> s23 = Flare.task(Aggregation::add, 2, 3).remote();
    ObjectRef<Integer> s45 = Flare.task(Aggregation::add, 4, 5).remote();
    ObjectRef<Integer> s67 = Flare.task(Aggregation::add, 6, 7).remote();
    ObjectRef<Integer> s0123 = Flare.task(Aggregation::add, s01, s23).remote();
    ObjectRef<Integer> s4567 = Flare.task(Aggregation::add, s45, s67).remote();
    ObjectRef<Integer> s01234567 = Flare.task(Aggregation::add, s0123, s4567).remote();
    return Flare.get(s01234567);
  }

  /**
   * Sums {@code inputs} linearly, in the tutorial's loop: {@code values = [add.remote(values[0],
   * values[1])] + values[2:]}.
   *
   * @throws IllegalArgumentException when {@code inputs} is empty
   */
  public static int linearLoop(List<Integer> inputs) {
    List<ObjectRef<Integer>> values = putAll(inputs);
    while (values.size() > 1) {
      List<ObjectRef<Integer>> next = new ArrayList<>();
      next.add(Flare.task(Aggregation::add, values.get(0), values.get(1)).remote());
      next.addAll(values.subList(2, values.size()));
      values = next;
    }
    return Flare.get(values.get(0));
  }

  /**
   * Sums {@code inputs} as a tree, in the tutorial's loop: {@code values = values[2:] +
   * [add.remote(values[0], values[1])]}.
   *
   * @throws IllegalArgumentException when {@code inputs} is empty
   */
  public static int treeLoop(List<Integer> inputs) {
    List<ObjectRef<Integer>> values = putAll(inputs);
    while (values.size() > 1) {
      List<ObjectRef<Integer>> next = new ArrayList<>(values.subList(2, values.size()));
      next.add(Flare.task(Aggregation::add, values.get(0), values.get(1)).remote());
      values = next;
    }
    return Flare.get(values.get(0));
  }

  private static List<ObjectRef<Integer>> putAll(List<Integer> inputs) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("nothing to sum: inputs is empty");
    }
    List<ObjectRef<Integer>> refs = new ArrayList<>();
    for (Integer input : inputs) {
      refs.add(Flare.put(input));
    }
    return refs;
  }

  /**
   * Runs the four forms one after another and returns their sums: linear explicit, linear loop,
   * tree explicit, tree loop; each is 28. Requires a started Flare; blocks about 22 s on two worker
   * slots.
   */
  public static List<Integer> run() {
    return List.of(linearExplicit(), linearLoop(VALUES), treeExplicit(), treeLoop(VALUES));
  }

  /** The sum each form must return, computed without Flare. */
  static int expected() {
    return VALUES.stream().mapToInt(Integer::intValue).sum();
  }

  /** Runs the example on the started Flare, checks and prints each form's sum and wall time. */
  static void runAndPrint() {
    int slots = Math.max(1, ExampleSupport.workerSlots());
    long sleepSeconds = SLEEP_MS / 1000;
    String chain =
        String.format(
            "%d adds of %d s in a chain: at least %d s",
            VALUES.size() - 1, sleepSeconds, (VALUES.size() - 1) * sleepSeconds);
    String tree =
        String.format(
            "levels of 4, 2, 1 adds of %d s on %d worker slots: at least %d s",
            sleepSeconds, slots, treeRounds(VALUES.size(), slots) * sleepSeconds);
    printForm("linear (explicit)", Aggregation::linearExplicit, chain);
    printForm("linear (loop)", () -> linearLoop(VALUES), chain);
    printForm("tree (explicit)", Aggregation::treeExplicit, tree);
    printForm("tree (loop)", () -> treeLoop(VALUES), tree);
  }

  /** Rounds of adds a tree over {@code n} values needs when {@code slots} adds run at once. */
  static int treeRounds(int n, int slots) {
    int rounds = 0;
    while (n > 1) {
      int adds = n / 2;
      rounds += (adds + slots - 1) / slots;
      n -= adds;
    }
    return rounds;
  }

  private static void printForm(String form, IntSupplier sum, String bound) {
    long start = System.nanoTime();
    int result = sum.getAsInt();
    double seconds = ExampleSupport.secondsSince(start);
    System.out.printf(
        "Aggregation: %-17s sum=%d (expected %d) in %s (%s)%n",
        form, result, expected(), ExampleSupport.seconds(seconds), bound);
    ExampleSupport.check(
        result == expected(),
        "Aggregation " + form + ": expected " + expected() + ", got " + result);
  }

  /** Starts Flare (honouring {@code -Dflare.config}), runs the example, stops Flare. */
  public static void main(String[] args) {
    Flare.init();
    try {
      runAndPrint();
    } finally {
      Flare.shutdown();
    }
  }
}
