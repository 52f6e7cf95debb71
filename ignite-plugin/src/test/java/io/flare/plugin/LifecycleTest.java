package io.flare.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import io.flare.api.exception.FlareException;
import io.flare.plugin.testing.TestCluster;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starting, stopping and restarting Flare in one JVM; calls before {@code init}. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LifecycleTest {

  @AfterEach
  void cleanUp() {
    Flare.shutdown();
  }

  @Test
  void callsBeforeInit_sayToCallInit() {
    assertThat(Flare.isInitialized()).isFalse();
    assertThatThrownBy(() -> Flare.put(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Flare.init()");
    assertThatThrownBy(() -> Flare.task(Fns::inc, 1).remote())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Flare.init()");
    assertThatThrownBy(() -> Flare.wait(List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Flare.init()");
    assertThatThrownBy(Flare::getRuntimeContext).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void init_isIdempotent_shutdownIsIdempotent_andInitAfterShutdownWorks() {
    Flare.init();
    String first = Flare.getRuntimeContext().getCurrentNodeId();
    Flare.init();
    assertThat(Flare.getRuntimeContext().getCurrentNodeId()).isEqualTo(first);
    ObjectRef<Integer> r = Flare.task(Fns::inc, 1).remote();
    assertThat(r.get()).isEqualTo(2);
    Flare.shutdown();
    Flare.shutdown();
    assertThat(Flare.isInitialized()).isFalse();
    assertThatThrownBy(() -> Flare.put(1)).isInstanceOf(IllegalStateException.class);
    Flare.init();
    assertThat(Flare.isInitialized()).isTrue();
    assertThat(Flare.getRuntimeContext().getCurrentNodeId()).isNotEqualTo(first);
    assertThat(Flare.task(Fns::inc, 2).remote().get()).isEqualTo(3);
  }

  @Test
  void refsAndHandlesOfAnEarlierSession_failClearly_neverHang() {
    Flare.init();
    io.flare.api.ActorHandle<Actors.Counter> old = Flare.actor(Actors.Counter::new).remote();
    assertThat(old.task(Actors.Counter::increment).remote().get(30_000)).isEqualTo(1);
    ObjectRef<Integer> oldRef = Flare.task(Fns::inc, 1).remote();
    assertThat(oldRef.get(30_000)).isEqualTo(2);
    Flare.shutdown();
    Flare.init();
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> oldRef.get(30_000));
    assertThat(t)
        .isInstanceOf(FlareException.class)
        .isNotInstanceOf(io.flare.api.exception.GetTimeoutException.class);
    t =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> old.task(Actors.Counter::increment).remote().get(30_000));
    assertThat(t)
        .isInstanceOf(io.flare.api.exception.ActorDiedException.class)
        .hasMessageContaining(old.getId());
    assertThat(Flare.task(Fns::inc, 2).remote().get(30_000)).isEqualTo(3);
  }

  @Test
  void init_withAMissingFile_namesTheFile() {
    assertThatThrownBy(() -> Flare.init("no/such/flare.xml"))
        .isInstanceOf(FlareException.class)
        .hasMessageContaining("no/such/flare.xml");
    assertThat(Flare.isInitialized()).isFalse();
  }

  @Test
  void embeddedNode_neverJoinsOtherClusters() {
    try (TestCluster other = TestCluster.start("other", 1)) {
      Flare.init();
      assertThat(Flare.getRuntimeContext().getAllNodeInfo()).hasSize(1);
      assertThat(other.node(0).cluster().nodes()).hasSize(1);
    }
  }

  @Test
  void attach_givesTheSameOperationsOnAnExistingNode() {
    try (TestCluster c = TestCluster.start("attach", 1)) {
      FlareRuntime flare = IgniteFlare.attach(c.node(0));
      ObjectRef<Integer> r = flare.task(Fns::add, 2, flare.put(3)).remote();
      assertThat(flare.get(r)).isEqualTo(5);
      assertThat(flare.getRuntimeContext().getCurrentNodeId())
          .isEqualTo(c.node(0).cluster().localNode().id().toString());
    }
  }
}
