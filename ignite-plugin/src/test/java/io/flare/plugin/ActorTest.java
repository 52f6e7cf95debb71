package io.flare.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.flare.api.ActorHandle;
import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import io.flare.api.exception.ActorDiedException;
import io.flare.api.exception.FlareException;
import io.flare.api.exception.TaskCancelledException;
import io.flare.api.exception.TaskException;
import io.flare.api.function.FlareFunc1;
import io.flare.plugin.Actors.Broken;
import io.flare.plugin.Actors.Counter;
import io.flare.plugin.Actors.Log;
import io.flare.plugin.Actors.MessageStore;
import io.flare.plugin.Actors.Proxy;
import io.flare.plugin.Actors.SelfCaller;
import io.flare.plugin.internal.FlareNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Actor behaviour of API.md on an embedded node. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ActorTest {

  @BeforeAll
  static void start() {
    Flare.init();
  }

  @AfterAll
  static void stop() {
    Flare.shutdown();
  }

  @Test
  void counter_keepsStateAcrossCalls() {
    ActorHandle<Counter> c = Flare.actor(Counter::new).remote();
    assertThat(c.task(Counter::increment).remote().get()).isEqualTo(1);
    assertThat(c.task(Counter::increment).remote().get()).isEqualTo(2);
    assertThat(c.task(Counter::add, 10).remote().get()).isEqualTo(12);
    assertThat(c.task(Counter::getValue).remote().get()).isEqualTo(12);
    ObjectRef<Void> reset = c.task(Counter::reset).remote();
    assertThat(reset.get()).isNull();
    assertThat(c.task(Counter::getValue).remote().get()).isEqualTo(0);
  }

  @Test
  void constructorArguments_mayBeValuesOrRefs() {
    ActorHandle<Counter> fromValue = Flare.actor(Counter::new, 5).remote();
    assertThat(fromValue.task(Counter::getValue).remote().get()).isEqualTo(5);
    ObjectRef<Integer> start = Flare.task(Fns::inc, 99).remote();
    // Counter has two constructors, so Counter::new needs a target type to pick one
    FlareFunc1<Integer, Counter> fromStart = Counter::new;
    ActorHandle<Counter> fromRef = Flare.actor(fromStart, start).remote();
    assertThat(fromRef.task(Counter::getValue).remote().get()).isEqualTo(100);
    assertThat(fromRef.task(Counter::add, Flare.put(5)).remote().get()).isEqualTo(105);
  }

  @Test
  void asyncCalls_fromOneThread_runInOrder() {
    ActorHandle<Log> log = Flare.actor(Log::new).remote();
    List<ObjectRef<Integer>> refs = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      refs.add(log.task(Log::append, i).remote());
    }
    List<Integer> sizes = Flare.get(refs);
    for (int i = 0; i < sizes.size(); i++) {
      assertThat(sizes.get(i)).isEqualTo(i + 1);
    }
    List<Integer> seen = log.task(Log::seen).remote().get();
    for (int i = 0; i < 2000; i++) {
      assertThat(seen.get(i)).isEqualTo(i);
    }
  }

  @Test
  void callsWithPendingRefArguments_stillRunInCallOrder() {
    ActorHandle<Log> log = Flare.actor(Log::new).remote();
    ObjectRef<Integer> slow = Flare.task(Fns::sleepy, 300).remote();
    ObjectRef<Integer> first = log.task(Log::append, slow).remote();
    ObjectRef<Integer> second = log.task(Log::append, 1).remote();
    assertThat(second.get()).isEqualTo(2);
    assertThat(first.get()).isEqualTo(1);
    assertThat(log.task(Log::seen).remote().get()).containsExactly(300, 1);
  }

  /** Sleeps, then throws: an argument that fails after later calls were already sent. */
  public static int sleepThenFail(int ms) throws InterruptedException {
    Thread.sleep(ms);
    throw new IllegalStateException("failed after " + ms + " ms");
  }

  @Test
  void aCallWhoseArgumentFails_doesNotHoldUpLaterCalls() {
    ActorHandle<Counter> c = Flare.actor(Counter::new).remote();
    ObjectRef<Integer> bad = Flare.task(ActorTest::sleepThenFail, 300).remote();
    ObjectRef<Integer> first = c.task(Counter::add, bad).remote();
    ObjectRef<Integer> second = c.task(Counter::increment).remote();
    ObjectRef<Integer> third = c.task(Counter::add, 10).remote();
    assertThatThrownBy(() -> first.get(30_000))
        .isInstanceOf(TaskException.class)
        .hasStackTraceContaining("failed after 300 ms");
    assertThat(second.get(30_000)).isEqualTo(1);
    assertThat(third.get(30_000)).isEqualTo(11);
  }

  @Test
  void aCallWhoseArgumentIsCancelled_orThatIsCancelledWaiting_doesNotHoldUpLaterCalls() {
    ActorHandle<Counter> c = Flare.actor(Counter::new).remote();
    assertThat(c.task(Counter::getValue).remote().get(30_000)).isZero(); // the actor is up
    ObjectRef<Integer> slow = Flare.task(Fns::sleepy, 60_000).remote();
    ObjectRef<Integer> onCancelledArg = c.task(Counter::add, slow).remote();
    ObjectRef<Integer> cancelledItself = c.task(Counter::add, slow).remote();
    ObjectRef<Integer> after = c.task(Counter::increment).remote();
    Flare.cancel(cancelledItself);
    assertThatThrownBy(() -> cancelledItself.get(30_000))
        .isInstanceOf(TaskCancelledException.class);
    Flare.cancel(slow);
    assertThatThrownBy(() -> onCancelledArg.get(30_000)).isInstanceOf(TaskCancelledException.class);
    assertThat(after.get(30_000)).isEqualTo(1);
    assertThat(c.task(Counter::increment).remote().get(30_000)).isEqualTo(2);
  }

  @Test
  void namedActorsCreatedAtOnce_onlyOneGetsTheName() throws Exception {
    for (int round = 0; round < 3; round++) {
      String name = "race-" + round;
      int threads = 4;
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(threads);
      List<java.util.concurrent.Future<ActorHandle<Counter>>> made = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        made.add(
            pool.submit(
                () -> {
                  start.await();
                  return Flare.actor(Counter::new).setName(name).remote();
                }));
      }
      List<ActorHandle<Counter>> handles = new ArrayList<>();
      int refused = 0;
      for (var f : made) {
        try {
          handles.add(f.get(60, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause())
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining(name);
          refused++;
        }
      }
      pool.shutdown();
      assertThat(handles).hasSize(1);
      assertThat(refused).isEqualTo(threads - 1);
      assertThat(Flare.<Counter>getActor(name))
          .map(ActorHandle::getId)
          .contains(handles.get(0).getId());
      assertThat(handles.get(0).task(Counter::increment).remote().get(30_000)).isEqualTo(1);
      handles.get(0).kill();
    }
  }

  /** An actor built from a large array. */
  public static class Holder {
    private final long[] data;

    public Holder(long[] data) {
      this.data = data;
    }

    public long sum() {
      return Fns.sumLongs(data);
    }
  }

  /** A large result: stored, not inline. */
  public static long[] bigLongs(int n) {
    return Fns.longs(n);
  }

  private static void awaitCollected(java.lang.ref.WeakReference<?> ref) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (ref.get() != null && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(ref.get()).as("the dropped ref was collected").isNull();
  }

  @Test
  void aRestartedActor_getsItsConstructorArguments_afterTheCallerDroppedTheirRefs()
      throws Exception {
    long want = Fns.sumLongs(Fns.longs(300_000));
    ObjectRef<long[]> result = Flare.task(ActorTest::bigLongs, 300_000).remote();
    ObjectRef<long[]> put = Flare.put(Fns.longs(300_000));
    List<ActorHandle<Holder>> actors =
        List.of(
            Flare.actor(Holder::new, result).setMaxRestarts(1).remote(),
            Flare.actor(Holder::new, put).setMaxRestarts(1).remote(),
            Flare.actor(Holder::new, Fns.longs(300_000)).setMaxRestarts(1).remote());
    for (ActorHandle<Holder> a : actors) {
      assertThat(a.task(Holder::sum).remote().get(30_000)).isEqualTo(want);
    }
    // the actors' holds are counted by the owner, so dropping the caller's refs cannot free the
    // values (before, only refs nested in arguments were held: these were freed 2 s after the drop)
    FlareNode owner = (FlareNode) io.flare.api.spi.FlareRuntimes.current();
    assertThat(owner.heldElsewhere(result)).as("holds on the task result").isPositive();
    assertThat(owner.heldElsewhere(put)).as("holds on the put value").isPositive();
    var resultGone = new java.lang.ref.WeakReference<>(result);
    var putGone = new java.lang.ref.WeakReference<>(put);
    result = null;
    put = null;
    awaitCollected(resultGone);
    awaitCollected(putGone);
    for (ActorHandle<Holder> a : actors) {
      a.kill(false); // a restart runs the constructor again, with the same arguments
      assertThat(a.task(Holder::sum).remote().get(30_000)).isEqualTo(want);
    }
  }

  @Test
  void aCancelledCall_waitingInTheMailbox_neverRuns() {
    ActorHandle<Counter> c = Flare.actor(Counter::new).remote();
    assertThat(c.task(Counter::getValue).remote().get(30_000)).isZero();
    ObjectRef<Integer> running = c.task(Counter::slowIncrement, 1_000).remote();
    ObjectRef<Integer> queued = c.task(Counter::increment).remote();
    Flare.cancel(queued);
    assertThatThrownBy(() -> queued.get(30_000)).isInstanceOf(TaskCancelledException.class);
    assertThat(running.get(30_000)).isEqualTo(1);
    assertThat(c.task(Counter::getValue).remote().get(30_000))
        .as("the cancelled increment did not run")
        .isEqualTo(1);
  }

  @Test
  void cancellingARunningCall_interruptsIt_andTheActorsNextCallsRunAtOnce() throws Exception {
    Counter.SLEEPING = new java.util.concurrent.CountDownLatch(1);
    int interruptedBefore = Counter.INTERRUPTED.get();
    ActorHandle<Counter> c = Flare.actor(Counter::new).remote();
    ObjectRef<Integer> running = c.task(Counter::sleepLong, 600_000).remote();
    ObjectRef<Integer> next = c.task(Counter::increment).remote();
    assertThat(Counter.SLEEPING.await(30, java.util.concurrent.TimeUnit.SECONDS))
        .as("the long call started")
        .isTrue();
    Flare.cancel(running);
    assertThatThrownBy(() -> running.get(30_000)).isInstanceOf(TaskCancelledException.class);
    // Without the interrupt the next call would wait ten minutes behind the sleeping one.
    assertThat(next.get(30_000)).as("the call queued behind the cancelled one").isEqualTo(1);
    assertThat(Counter.INTERRUPTED.get() - interruptedBefore).isEqualTo(1);
    assertThat(c.task(Counter::getValue).remote().get(30_000))
        .as("the interrupted call changed nothing, and no interrupt leaked into later calls")
        .isEqualTo(1);
    assertThat(c.task(Counter::slowIncrement, 50).remote().get(30_000)).isEqualTo(2);
  }

  @Test
  void kill_failsTheRunningCall_withActorDied_andInterruptsIt() throws Exception {
    Counter.SLEEPING = new java.util.concurrent.CountDownLatch(1);
    int interruptedBefore = Counter.INTERRUPTED.get();
    ActorHandle<Counter> c = Flare.actor(Counter::new).remote();
    ObjectRef<Integer> running = c.task(Counter::sleepLong, 600_000).remote();
    assertThat(Counter.SLEEPING.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    c.kill();
    assertThatThrownBy(() -> running.get(30_000)).isInstanceOf(ActorDiedException.class);
    assertThat(Counter.INTERRUPTED.get() - interruptedBefore).isEqualTo(1);
    assertThatThrownBy(() -> c.task(Counter::increment).remote().get(30_000))
        .isInstanceOf(ActorDiedException.class);
  }

  @Test
  void killWithRestart_whileACallRuns_callsMadeMeanwhileReachTheNewIncarnation() throws Exception {
    Counter.SLEEPING = new java.util.concurrent.CountDownLatch(1);
    ActorHandle<Counter> c = Flare.actor(Counter::new).setMaxRestarts(1).remote();
    ObjectRef<Integer> running = c.task(Counter::spin, 3_000).remote(); // ignores the interrupt
    assertThat(Counter.SLEEPING.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    c.kill(false);
    ObjectRef<Integer> next = c.task(Counter::increment).remote();
    assertThat(next.get(30_000)).as("the first call on the new incarnation").isEqualTo(1);
    assertThatThrownBy(() -> running.get(30_000)).isInstanceOf(ActorDiedException.class);
    assertThat(c.task(Counter::increment).remote().get(30_000)).isEqualTo(2);
  }

  @Test
  void freshActors_whoseFirstCallsArgumentIsCancelled_runTheNextCalls() {
    for (int i = 0; i < 8; i++) {
      ActorHandle<Counter> c = Flare.actor(Counter::new).remote();
      ObjectRef<Integer> slow = Flare.task(Fns::sleepy, 60_000).remote();
      ObjectRef<Integer> dependent = c.task(Counter::add, slow).remote();
      ObjectRef<Integer> next = c.task(Counter::add, 1).remote();
      Flare.cancel(slow);
      assertThatThrownBy(() -> dependent.get(30_000)).isInstanceOf(TaskCancelledException.class);
      assertThat(next.get(30_000)).isEqualTo(1);
    }
  }

  @Test
  void methodThatThrows_leavesTheActorAliveWithItsState() {
    ActorHandle<Counter> c = Flare.actor(Counter::new, 3).remote();
    Throwable t = catchThrowable(() -> c.task(Counter::fail, "nope").remote().get());
    assertThat(t).isInstanceOf(TaskException.class).hasMessageContaining("Counter.fail");
    assertThat(t.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("nope");
    assertThat(c.task(Counter::increment).remote().get()).isEqualTo(4);
  }

  @Test
  void constructorThatThrows_failsEveryCallWithActorDied() {
    ActorHandle<Broken> b = Flare.actor(Broken::new).remote();
    Throwable t = catchThrowable(() -> b.task(Broken::ping).remote().get());
    assertThat(t).isInstanceOf(ActorDiedException.class);
    assertThat(t.getCause())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot build");
    assertThatThrownBy(() -> b.task(Broken::ping).remote().get())
        .isInstanceOf(ActorDiedException.class);
  }

  /**
   * Once a caller has seen a named actor die of its constructor, the name is free: {@code getActor}
   * finds nothing and the name can be taken again (before, the reply could overtake the registry's
   * update, and in 5 of 20 tries the dead actor was still found by name).
   */
  @Test
  void aNamedActorWhoseConstructorThrew_releasesItsNameBeforeCallersHearOfTheDeath() {
    for (int i = 0; i < 20; i++) {
      String name = "broken-" + i + "-" + UUID.randomUUID();
      ActorHandle<Broken> b = Flare.actor(Broken::new).setName(name).remote();
      assertThatThrownBy(() -> b.task(Broken::ping).remote().get())
          .isInstanceOf(ActorDiedException.class);
      assertThat(Flare.getActor(name)).as("try %d", i).isEmpty();
      ActorHandle<Counter> again = Flare.actor(Counter::new).setName(name).remote();
      assertThat(again.task(Counter::increment).remote().get()).isEqualTo(1);
      again.kill();
    }
  }

  /**
   * The registry drops the records of dead actors after a grace (60 s; here asked at once): it grew
   * by every actor ever created. Within the grace a late call learns the actor was killed; after
   * it, that the actor is unknown.
   */
  @Test
  void recordsOfDeadActors_leaveTheRegistry() {
    FlareNode node = (FlareNode) io.flare.api.spi.FlareRuntimes.current();
    node.sweepDeadActors(0);
    long before = node.actorRegistrySize();
    List<ActorHandle<Counter>> actors = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ActorHandle<Counter> a = Flare.actor(Counter::new, i).remote();
      assertThat(a.task(Counter::increment).remote().get()).isEqualTo(i + 1);
      actors.add(a);
    }
    assertThat(node.actorRegistrySize()).isGreaterThanOrEqualTo(before + 20);
    actors.forEach(ActorHandle::kill);
    assertThat(node.sweepDeadActors(60_000)).as("none is past the grace yet").isZero();
    assertThatThrownBy(() -> actors.get(0).task(Counter::increment).remote().get())
        .isInstanceOf(ActorDiedException.class)
        .hasMessageContaining("killed");
    // at least these 20 (an actor of an earlier test may have died meanwhile and go too)
    assertThat(node.sweepDeadActors(0)).isGreaterThanOrEqualTo(20);
    assertThat(node.actorRegistrySize()).isLessThanOrEqualTo(before);
    assertThatThrownBy(() -> actors.get(1).task(Counter::increment).remote().get())
        .isInstanceOf(ActorDiedException.class)
        .hasMessageContaining("unknown");
  }

  /**
   * An actor method that waits for a call on its own actor fails at once, saying why, instead of
   * waiting for ever (the call cannot start before the waiting method returns); the actor keeps
   * working, and returning such a ref is fine.
   */
  @Test
  void anActorWaitingForItsOwnCall_failsClearly_insteadOfWaitingForEver() {
    ActorHandle<SelfCaller> a = Flare.actor(SelfCaller::new).remote();
    Throwable t = catchThrowable(() -> a.task(SelfCaller::waitForOwnCall, a).remote().get(30_000));
    assertThat(t).isInstanceOf(TaskException.class);
    assertThat(t.getCause())
        .isInstanceOf(FlareException.class)
        .hasMessageContaining("its own call")
        .hasMessageContaining("SelfCaller.ping")
        .hasMessageContaining("for ever");
    Throwable inList =
        catchThrowable(() -> a.task(SelfCaller::waitForOwnCallInAList, a).remote().get(30_000));
    assertThat(inList.getCause()).hasMessageContaining("its own call");
    assertThat(a.task(SelfCaller::ping).remote().get(30_000)).isEqualTo(7);
    ObjectRef<Integer> own = a.task(SelfCaller::returnOwnCall, a).remote().get(30_000);
    assertThat(own.get(30_000)).isEqualTo(7);
  }

  @Test
  void handles_passToTasksAndActors_andReachTheSameActor() {
    ActorHandle<Counter> c = Flare.actor(Counter::new).remote();
    assertThat(Flare.task(Actors::incrementFromTask, c, 50).remote().get()).isEqualTo(50);
    ActorHandle<Proxy> p = Flare.actor(Proxy::new, c).remote();
    assertThat(p.task(Proxy::incrementTwice).remote().get()).isEqualTo(52);
    assertThat(p.task(Proxy::taskSum, 10).remote().get()).isEqualTo(55);
    assertThat(c.task(Counter::getValue).remote().get()).isEqualTo(52);
  }

  @Test
  void messageStore_collectsWhatWorkerTasksPush() {
    ActorHandle<MessageStore> store = Flare.actor(MessageStore::new).remote();
    List<ObjectRef<Integer>> workers = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      workers.add(Flare.task(Actors::pushMessages, store, w, 20).remote());
    }
    assertThat(Flare.get(workers)).containsExactly(20, 20, 20);
    List<String> all = store.task(MessageStore::getAndClear).remote().get();
    assertThat(all).hasSize(60);
    for (int w = 0; w < 3; w++) {
      List<String> mine = new ArrayList<>();
      for (String m : all) {
        if (m.startsWith("w" + w + "-")) {
          mine.add(m);
        }
      }
      // one task's pushes arrive in the order it made them
      for (int i = 0; i < 20; i++) {
        assertThat(mine.get(i)).isEqualTo("w" + w + "-" + i);
      }
    }
  }

  @Test
  void namedActor_isUnique_andFoundByName() {
    String name = "counter-" + UUID.randomUUID();
    ActorHandle<Counter> c = Flare.actor(Counter::new, 7).setName(name).remote();
    assertThatThrownBy(() -> Flare.actor(Counter::new).setName(name).remote())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(name);
    Optional<ActorHandle<Counter>> found = Flare.getActor(name);
    assertThat(found).isPresent();
    assertThat(found.get().getId()).isEqualTo(c.getId());
    assertThat(found.get().task(Counter::increment).remote().get()).isEqualTo(8);
    assertThat(Flare.getActor("no-such-actor-" + UUID.randomUUID())).isEmpty();
  }

  @Test
  void kill_failsPendingAndLaterCalls_andFreesTheName() {
    String name = "doomed-" + UUID.randomUUID();
    ActorHandle<Counter> c = Flare.actor(Counter::new).setName(name).remote();
    assertThat(c.task(Counter::increment).remote().get()).isEqualTo(1);
    ObjectRef<Integer> slow = c.task(Counter::slowIncrement, 500).remote();
    List<ObjectRef<Integer>> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      queued.add(c.task(Counter::increment).remote());
    }
    c.kill();
    for (ObjectRef<Integer> q : queued) {
      Throwable t = catchThrowable(q::get);
      if (t != null) {
        assertThat(t).isInstanceOf(ActorDiedException.class);
      }
    }
    assertThatThrownBy(() -> c.task(Counter::increment).remote().get())
        .isInstanceOf(ActorDiedException.class)
        .hasMessageContaining("killed");
    assertThat(Flare.getActor(name)).isEmpty();
    ActorHandle<Counter> again = Flare.actor(Counter::new).setName(name).remote();
    assertThat(again.task(Counter::increment).remote().get()).isEqualTo(1);
    catchThrowable(slow::get);
  }

  @Test
  void killWithRestart_recreatesTheActor() {
    ActorHandle<Counter> c = Flare.actor(Counter::new, 10).setMaxRestarts(1).remote();
    assertThat(c.task(Counter::increment).remote().get()).isEqualTo(11);
    assertThat(c.task(Counter::restarted).remote().get()).isFalse();
    c.kill(false);
    assertThat(c.task(Counter::getValue).remote().get()).isEqualTo(10);
    assertThat(c.task(Counter::restarted).remote().get()).isTrue();
  }

  @Test
  void methodOfAnotherClass_isRefusedAtRemote() {
    ActorHandle<Counter> c = Flare.actor(Counter::new).remote();
    @SuppressWarnings({"unchecked", "rawtypes"})
    ActorHandle<Actors.Other> wrong = (ActorHandle) c;
    assertThatThrownBy(() -> wrong.task(Actors.Other::other).remote())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a method of actor class");
    assertThat(c.task(Counter::increment).remote().get()).isEqualTo(1);
  }

  @Test
  void maxPendingCalls_refusesCallsPastTheLimit() {
    ActorHandle<Counter> c = Flare.actor(Counter::new).setMaxPendingCalls(2).remote();
    ObjectRef<Integer> a = c.task(Counter::slowIncrement, 300).remote();
    ObjectRef<Integer> b = c.task(Counter::slowIncrement, 1).remote();
    assertThatThrownBy(() -> c.task(Counter::increment).remote())
        .isInstanceOf(FlareException.class)
        .hasMessageContaining("setMaxPendingCalls");
    assertThat(a.get()).isEqualTo(1);
    assertThat(b.get()).isEqualTo(2);
    assertThat(c.task(Counter::increment).remote().get()).isEqualTo(3);
  }

  @Test
  void runtimeContext_insideAnActor_namesTheActor() {
    ActorHandle<Counter> c = Flare.actor(Counter::new).remote();
    assertThat(c.task(Counter::actorId).remote().get()).isEqualTo(c.getId());
  }

  @Test
  void manyActors_areCreatedAndAnswer() {
    List<ActorHandle<Counter>> all = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      all.add(Flare.actor(Counter::new, i).remote());
    }
    List<ObjectRef<Integer>> refs = new ArrayList<>();
    for (ActorHandle<Counter> a : all) {
      refs.add(a.task(Counter::increment).remote());
    }
    List<Integer> values = Flare.get(refs);
    Set<Integer> distinct = new HashSet<>(values);
    assertThat(distinct).hasSize(500);
    for (int i = 0; i < 500; i++) {
      assertThat(values.get(i)).isEqualTo(i + 1);
    }
  }
}
