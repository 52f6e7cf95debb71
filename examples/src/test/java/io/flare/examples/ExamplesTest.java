package io.flare.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs each example's {@code run} on one embedded node (or the cluster that {@code -Dflare.config}
 * names) and checks its exact result. Takes about half a minute: the examples sleep on purpose.
 */
class ExamplesTest {

  @BeforeAll
  static void startFlare() {
    Flare.init();
  }

  @AfterAll
  static void stopFlare() {
    Flare.shutdown();
  }

  @Test
  void parallelTasks_returnsSquaresInCallOrder() {
    assertThat(ParallelTasks.run()).containsExactly(0, 1, 4, 9);
  }

  /** Runs like {@link ParallelTasks#f} and reports when it ran (embedded: one clock). */
  public static long[] window(int i) throws InterruptedException {
    long start = System.nanoTime();
    Thread.sleep(200);
    return new long[] {start, System.nanoTime()};
  }

  @Test
  void parallelTasks_runSideBySide_whenTwoOrMoreWorkerSlots() {
    assumeThat(ExampleSupport.workerSlots()).isGreaterThanOrEqualTo(2);
    List<ObjectRef<long[]>> refs = new ArrayList<>();
    for (int i = 0; i < ParallelTasks.CALLS; i++) {
      refs.add(Flare.task(ExamplesTest::window, i).remote());
    }
    List<long[]> windows = Flare.get(refs);

    // side by side, not one after another: some two calls were running at the same time
    boolean overlap = false;
    for (int a = 0; a < windows.size(); a++) {
      for (int b = a + 1; b < windows.size(); b++) {
        overlap |= windows.get(a)[0] < windows.get(b)[1] && windows.get(b)[0] < windows.get(a)[1];
      }
    }
    assertThat(overlap).as("two of the calls ran at the same time").isTrue();
  }

  @Test
  void matrixDag_productEqualsLocalProduct() {
    MatrixDag.Matrix product = MatrixDag.run(64);

    MatrixDag.Matrix local = MatrixDag.expected(64);
    assertThat(product.size()).isEqualTo(64);
    assertThat(product.values()).containsExactly(local.values());
    assertThat(product.checksum()).isEqualTo(local.checksum());
  }

  @Test
  void matrixDag_multiplies_inArgumentOrder() {
    MatrixDag.Matrix a = new MatrixDag.Matrix(2, new double[] {1, 2, 3, 4});
    MatrixDag.Matrix b = new MatrixDag.Matrix(2, new double[] {0, 1, 1, 0});

    assertThat(MatrixDag.multiplyMatrices(a, b).values()).containsExactly(2, 1, 4, 3);
  }

  @Test
  void aggregation_everyFormSums0To7To28() {
    assertThat(Aggregation.expected()).isEqualTo(28);

    assertThat(Aggregation.run()).containsExactly(28, 28, 28, 28);
  }

  @Test
  void aggregationLoops_sumOtherInputs() {
    assertThat(Aggregation.linearLoop(List.of(10, 20, 30))).isEqualTo(60);
    assertThat(Aggregation.treeLoop(List.of(10, 20, 30))).isEqualTo(60);
    assertThat(Aggregation.treeLoop(List.of(5))).isEqualTo(5);
    assertThatThrownBy(() -> Aggregation.linearLoop(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void treeRounds_countsLevelsPerSlot() {
    assertThat(Aggregation.treeRounds(8, 1)).isEqualTo(7);
    assertThat(Aggregation.treeRounds(8, 2)).isEqualTo(4);
    assertThat(Aggregation.treeRounds(8, 4)).isEqualTo(3);
    assertThat(Aggregation.treeRounds(1, 4)).isZero();
  }

  @Test
  void counterActor_incrementsInCallOrder() {
    assertThat(CounterActor.run()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10);
  }

  @Test
  void messageActor_receivesEveryWorkersMessagesInOrder() throws Exception {
    java.util.List<String> got = MessageActor.run();
    assertThat(got).hasSize(MessageActor.WORKERS * MessageActor.MESSAGES);
    for (int j = 0; j < MessageActor.WORKERS; j++) {
      String suffix = " from worker " + j + ".";
      java.util.List<String> mine = got.stream().filter(m -> m.endsWith(suffix)).toList();
      assertThat(mine).hasSize(MessageActor.MESSAGES);
      for (int i = 0; i < MessageActor.MESSAGES; i++) {
        assertThat(mine.get(i)).isEqualTo("Message " + i + suffix);
      }
    }
  }
}
