package io.flare.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.flare.api.Flare;
import io.flare.api.NodeInfo;
import io.flare.api.ObjectRef;
import io.flare.api.WaitResult;
import io.flare.api.exception.FlareSerializationException;
import io.flare.api.exception.GetTimeoutException;
import io.flare.api.exception.TaskCancelledException;
import io.flare.api.exception.TaskException;
import io.flare.api.function.FlareFunc1;
import io.flare.plugin.Fns.Holder;
import io.flare.plugin.Fns.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every task behaviour of API.md on a real embedded Ignite node started by {@code Flare.init()}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedTasksTest {

  @BeforeAll
  static void start() {
    Flare.init();
  }

  @AfterAll
  static void stop() {
    Flare.shutdown();
  }

  @Test
  void task_returnsItsResult() {
    assertThat(Flare.task(Fns::zero).remote().get()).isEqualTo(0);
    assertThat(Flare.get(Flare.task(Fns::inc, 41).remote())).isEqualTo(42);
    assertThat(Flare.task(Fns::concat, "a", "b").remote().get(5000)).isEqualTo("ab");
  }

  @Test
  void refArguments_areResolvedInEveryPosition() {
    ObjectRef<Integer> one = Flare.task(Fns::inc, 0).remote();
    ObjectRef<Integer> two = Flare.put(2);
    assertThat(Flare.task(Fns::add, one, 10).remote().get()).isEqualTo(11);
    assertThat(Flare.task(Fns::add, 10, two).remote().get()).isEqualTo(12);
    assertThat(Flare.task(Fns::add, one, two).remote().get()).isEqualTo(3);
    assertThat(Flare.task(Fns::sum6, 1, 2L, one, 4, two, 6).remote().get()).isEqualTo(16L);
  }

  @Test
  void chainOfDependentTasks_computesInOrder() {
    ObjectRef<Integer> r = Flare.put(0);
    for (int i = 0; i < 200; i++) {
      r = Flare.task(Fns::inc, r).remote();
    }
    assertThat(r.get()).isEqualTo(200);
  }

  @Test
  void nestedTasksBlockingInGet_doNotStarveTheirChildren() {
    assertThat(Flare.task(Fns::fib, 12).remote().get(60_000)).isEqualTo(144);
  }

  @Test
  void refsNestedInValues_areUsableInsideTasks() {
    List<ObjectRef<Integer>> refs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      refs.add(Flare.task(Fns::inc, i).remote());
    }
    assertThat(Flare.task(Fns::sumNested, refs).remote().get()).isEqualTo(1 + 2 + 3 + 4 + 5);
    ObjectRef<Holder> holder = Flare.task(Fns::wrap, Flare.put(7)).remote();
    assertThat(Flare.task(Fns::unwrap, holder).remote().get()).isEqualTo(70);
  }

  @Test
  void refsReturnedFromTasks_canBeReadByTheDriver() {
    List<ObjectRef<Integer>> refs = Flare.task(Fns::makeRefs, 4).remote().get();
    assertThat(Flare.get(refs)).containsExactly(1, 2, 3, 4);
  }

  @Test
  void values_ofManyKinds_roundTrip() {
    assertThat(Flare.get(Flare.put((String) null))).isNull();
    assertThat(Flare.get(Flare.put(List.of(1, 2, 3)))).containsExactly(1, 2, 3);
    assertThat(Flare.get(Flare.put(Map.of("a", 1)))).containsEntry("a", 1);
    assertThat(Flare.task(Fns::movePoint, new Point(1, 2), 5).remote().get())
        .isEqualTo(new Point(6, 2));
    ObjectRef<Void> v = Flare.task(Fns::sink, "x").remote();
    assertThat(v.get()).isNull();
  }

  @Test
  void largeResultsAndArguments_goThroughTheStore() {
    ObjectRef<byte[]> big = Flare.task(Fns::bytes, 3_000_000).remote();
    byte[] expected = Fns.bytes(3_000_000);
    assertThat(big.get()).isEqualTo(expected);
    assertThat(Flare.task(Fns::checksum, big).remote().get()).isEqualTo(Fns.checksum(expected));
    ObjectRef<long[]> put = Flare.put(Fns.longs(1_000_000));
    assertThat(Flare.task(Fns::sumLongs, put).remote().get())
        .isEqualTo(Fns.sumLongs(Fns.longs(1_000_000)));
  }

  @Test
  void nonCapturingLambda_runs_andCapturingLambda_isRefused() {
    FlareFunc1<Integer, Integer> twice = x -> x * 2;
    assertThat(Flare.task(twice, 21).remote().get()).isEqualTo(42);
    int captured = 5;
    FlareFunc1<Integer, Integer> capturing = x -> x + captured;
    assertThatThrownBy(() -> Flare.task(capturing, 1).remote())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("captures")
        .hasMessageContaining("method reference");
    // the process keeps working
    assertThat(Flare.task(Fns::inc, 1).remote().get()).isEqualTo(2);
  }

  @Test
  void taskException_carriesTheRemoteException_andNamesFunctionAndNode() {
    ObjectRef<Integer> r = Flare.task(Fns::boomDeep, 3).remote();
    Throwable t = catchThrowable(r::get);
    assertThat(t).isInstanceOf(TaskException.class).hasMessageContaining("Fns.boomDeep");
    TaskException te = (TaskException) t;
    assertThat(te.getMessage()).contains(Flare.getRuntimeContext().getCurrentNodeId());
    assertThat(te.getCause()).isInstanceOf(ArithmeticException.class).hasMessage("deep 3");
    assertThat(te.getCause().getStackTrace()[0].getMethodName()).isEqualTo("helper");
    Throwable custom = catchThrowable(() -> Flare.task(Fns::throwCustom, 7).remote().get());
    assertThat(custom.getCause()).isInstanceOf(Fns.CustomException.class);
    assertThat(((Fns.CustomException) custom.getCause()).code).isEqualTo(7);
  }

  @Test
  void errors_propagateThroughEveryDependentTask() {
    ObjectRef<Integer> bad = Flare.task(Fns::boom, 1).remote();
    ObjectRef<Integer> dep1 = Flare.task(Fns::inc, bad).remote();
    ObjectRef<Integer> dep2 = Flare.task(Fns::add, 1, dep1).remote();
    Throwable t = catchThrowable(dep2::get);
    assertThat(t).isInstanceOf(TaskException.class).hasMessageContaining("Fns.boom");
    assertThat(t.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("boom 1");
  }

  @Test
  void get_timesOut_andRejectsNegativeTimeouts() {
    Fns.gate = new CountDownLatch(1);
    ObjectRef<Integer> slow = Flare.task(Fns::awaitGate).remote();
    try {
      assertThatThrownBy(() -> slow.get(50))
          .isInstanceOf(GetTimeoutException.class)
          .hasMessageContaining(slow.getId());
      assertThatThrownBy(() -> Flare.get(slow, -1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Flare.get(List.of(Flare.put(1), slow), 50))
          .isInstanceOf(GetTimeoutException.class);
    } finally {
      Fns.gate.countDown();
    }
    assertThat(slow.get(30_000)).isEqualTo(1);
  }

  @Test
  void get_withAHugeTimeout_waitsForTheValue() {
    for (long huge : new long[] {Long.MAX_VALUE - 1, Long.MAX_VALUE / 2, 10_000_000_000_000L}) {
      ObjectRef<Integer> r = Flare.task(Fns::sleepy, 100).remote();
      assertThat(Flare.get(r, huge)).isEqualTo(100);
      ObjectRef<Integer> r2 = Flare.task(Fns::sleepy, 101).remote();
      assertThat(r2.get(huge)).isEqualTo(101);
      ObjectRef<Integer> r3 = Flare.task(Fns::sleepy, 102).remote();
      assertThat(Flare.get(List.of(r3, Flare.put(7)), huge)).containsExactly(102, 7);
    }
  }

  @Test
  void getList_failsAsSoonAsOneValueIsAnError_withoutWaitingForTheOthers() {
    Fns.gate = new CountDownLatch(1);
    ObjectRef<Integer> blocked = Flare.task(Fns::awaitGate).remote(); // never done until the end
    ObjectRef<Integer> failing = Flare.task(Fns::boom, 7).remote();
    try {
      assertThatThrownBy(() -> Flare.get(List.of(blocked, failing), 60_000))
          .isInstanceOf(TaskException.class)
          .hasStackTraceContaining("boom 7");
      assertThatThrownBy(() -> Flare.get(List.of(blocked, failing)))
          .isInstanceOf(TaskException.class);
      // still a time-out when nothing fails, naming the object waited for
      assertThatThrownBy(() -> Flare.get(List.of(Flare.put(1), blocked), 100))
          .isInstanceOf(GetTimeoutException.class)
          .hasMessageContaining(blocked.getId());
    } finally {
      Fns.gate.countDown();
    }
    assertThat(Flare.get(List.of(blocked, Flare.put(2)), 30_000)).containsExactly(1, 2);
  }

  @Test
  void getList_returnsValuesInOrder() {
    List<ObjectRef<Integer>> refs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      refs.add(Flare.task(Fns::inc, i).remote());
    }
    List<Integer> values = Flare.get(refs);
    for (int i = 0; i < 50; i++) {
      assertThat(values.get(i)).isEqualTo(i + 1);
    }
  }

  @Test
  void wait_returnsReadyRefsInInputOrder_andHonoursNumReturns() {
    Fns.gate = new CountDownLatch(1);
    ObjectRef<Integer> slow = Flare.task(Fns::awaitGate).remote();
    ObjectRef<Integer> a = Flare.put(1);
    ObjectRef<Integer> b = Flare.task(Fns::inc, 1).remote();
    b.get();
    try {
      WaitResult<Integer> w = Flare.wait(List.of(slow, a, b), 2, 5_000);
      assertThat(w.getReady()).containsExactly(a, b);
      assertThat(w.getUnready()).containsExactly(slow);
      WaitResult<Integer> one = Flare.wait(List.of(a, b), 1);
      assertThat(one.getReady()).containsExactly(a);
      assertThat(one.getUnready()).containsExactly(b);
      WaitResult<Integer> timedOut = Flare.wait(List.of(slow), 1, 30);
      assertThat(timedOut.getReady()).isEmpty();
      assertThat(timedOut.getUnready()).containsExactly(slow);
    } finally {
      Fns.gate.countDown();
    }
    WaitResult<Integer> all = Flare.wait(List.of(slow, a, b));
    assertThat(all.getReady()).containsExactly(slow, a, b);
    assertThat(all.getUnready()).isEmpty();
  }

  @Test
  void wait_rejectsBadArguments() {
    ObjectRef<Integer> a = Flare.put(1);
    WaitResult<Integer> empty = Flare.wait(new ArrayList<ObjectRef<Integer>>(), 1, 10);
    assertThat(empty.getReady()).isEmpty();
    assertThat(empty.getUnready()).isEmpty();
    assertThatThrownBy(() -> Flare.wait(List.of(a), 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numReturns");
    assertThatThrownBy(() -> Flare.wait(List.of(a), 2, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Flare.wait(List.of(a, a), 1, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> Flare.wait(List.of(a), 1, -5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cancel_interruptsARunningTask_andFailsItsDependents() throws Exception {
    Fns.gate = new CountDownLatch(1);
    ObjectRef<Integer> running = Flare.task(Fns::awaitGate).remote();
    ObjectRef<Integer> dependent = Flare.task(Fns::inc, running).remote();
    Flare.cancel(running);
    assertThatThrownBy(running::get).isInstanceOf(TaskCancelledException.class);
    assertThatThrownBy(dependent::get).isInstanceOf(TaskCancelledException.class);
    // cancelling finished work and put values does nothing
    ObjectRef<Integer> done = Flare.task(Fns::inc, 1).remote();
    assertThat(done.get()).isEqualTo(2);
    Flare.cancel(done);
    assertThat(done.get()).isEqualTo(2);
    ObjectRef<Integer> put = Flare.put(5);
    Flare.cancel(put);
    assertThat(put.get()).isEqualTo(5);
    Fns.gate.countDown();
  }

  @Test
  void toFuture_completesWithTheValueOrTheError() throws Exception {
    assertThat(Flare.task(Fns::inc, 1).remote().toFuture().get(30, TimeUnit.SECONDS)).isEqualTo(2);
    Throwable t =
        catchThrowable(
            () -> Flare.task(Fns::boom, 2).remote().toFuture().get(30, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class);
    assertThat(t.getCause()).isInstanceOf(TaskException.class);
  }

  @Test
  void varargsMethods_takeTheirArrayAsOneArgument() {
    assertThat(
            Flare.task((FlareFunc1<int[], Integer>) Fns::sumAll, new int[] {1, 2, 3})
                .remote()
                .get(30_000))
        .isEqualTo(6);
    assertThat(
            Flare.task((FlareFunc1<Object[], Integer>) Fns::countArgs, new Object[] {1, 2, 3})
                .remote()
                .get(30_000))
        .isEqualTo(3);
    assertThat(
            Flare.task(
                    (io.flare.api.function.FlareFunc2<String, String[], String>) Fns::joinAll,
                    "+",
                    new String[] {"x", "y", "z"})
                .remote()
                .get(30_000))
        .isEqualTo("x+y+z");
  }

  @Test
  void aResultThatCannotBeSerialized_failsWithFlareSerializationException_namingClassAndTask() {
    Throwable t = catchThrowable(() -> Flare.task(Fns::threadHolder).remote().get(30_000));
    assertThat(t)
        .isInstanceOf(FlareSerializationException.class)
        .isNotInstanceOf(TaskException.class)
        .hasMessageContaining("java.lang.Thread")
        .hasMessageContaining("Fns.threadHolder")
        .hasMessageContaining("result");
    assertThat(Flare.task(Fns::inc, 1).remote().get(30_000)).isEqualTo(2);
  }

  @Test
  void unserializableArgument_failsAtRemote_namingItsClass() {
    Thread notAValue = new Thread(() -> {});
    assertThatThrownBy(() -> Flare.task(Fns::threadCount, notAValue).remote())
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageContaining("java.lang.Thread");
    assertThatThrownBy(() -> Flare.put(notAValue))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageContaining("java.lang.Thread");
    assertThat(Flare.task(Fns::inc, 1).remote().get()).isEqualTo(2);
  }

  @Test
  void unknownResource_isRefusedAtRemote() {
    assertThatThrownBy(() -> Flare.task(Fns::inc, 1).setResource("GPU", 1).remote())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GPU");
    assertThat(Flare.task(Fns::inc, 1).setResource("CPU", 1).remote().get()).isEqualTo(2);
  }

  @Test
  void runtimeContext_describesWhereCodeRuns() {
    String driverNode = Flare.getRuntimeContext().getCurrentNodeId();
    assertThat(Flare.getRuntimeContext().getCurrentTaskId()).isEmpty();
    assertThat(Flare.getRuntimeContext().getCurrentActorId()).isEmpty();
    assertThat(Flare.getRuntimeContext().wasCurrentActorRestarted()).isFalse();
    ObjectRef<String> task = Flare.task(Fns::taskId).remote();
    assertThat(task.get()).isEqualTo(task.getId());
    assertThat(Flare.task(Fns::nodeId).remote().get()).isEqualTo(driverNode);
    List<NodeInfo> nodes = Flare.getRuntimeContext().getAllNodeInfo();
    assertThat(nodes).hasSize(1);
    assertThat(nodes.get(0).isServer()).isTrue();
    assertThat(nodes.get(0).getHost()).isEqualTo("127.0.0.1");
    assertThat(nodes.get(0).getResources()).containsKey("CPU");
  }

  @Test
  void refs_areEqualByIdAndHaveStableIds() {
    ObjectRef<Integer> r = Flare.put(3);
    assertThat(r.getId()).hasSize(32).isEqualTo(r.getId());
    List<ObjectRef<Integer>> viaTask = Flare.task(Fns::makeRefs, 1).remote().get();
    assertThat(viaTask.get(0)).isNotEqualTo(r);
    assertThat(Flare.put(1).getId()).isNotEqualTo(Flare.put(1).getId());
  }

  @Test
  void manyAsyncTasks_allComplete() {
    List<ObjectRef<Integer>> refs = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      refs.add(Flare.task(Fns::inc, i).remote());
    }
    List<Integer> vals = Flare.get(refs);
    long sum = 0;
    for (int v : vals) {
      sum += v;
    }
    assertThat(sum).isEqualTo(20_000L * 20_001 / 2);
  }

  @Test
  void retryExceptions_reRunsAThrowingTask_upToMaxRetries() {
    Fns.FLAKY_CALLS.set(0);
    assertThat(Flare.task(Fns::flaky, 2).setRetryExceptions(true).setMaxRetries(3).remote().get())
        .isEqualTo(3);
    Fns.FLAKY_CALLS.set(0);
    assertThatThrownBy(() -> Flare.task(Fns::flaky, 2).remote().get())
        .isInstanceOf(TaskException.class);
    assertThat(Fns.FLAKY_CALLS.get()).isEqualTo(1); // without retryExceptions: no re-run
    Fns.FLAKY_CALLS.set(0);
    assertThatThrownBy(
            () ->
                Flare.task(Fns::flaky, 5).setRetryExceptions(true).setMaxRetries(2).remote().get())
        .isInstanceOf(TaskException.class)
        .hasRootCauseMessage("flaky call 3");
  }
}
