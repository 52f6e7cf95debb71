package io.flare.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.flare.api.ActorHandle;
import io.flare.api.ObjectRef;
import io.flare.plugin.Actors.Counter;
import io.flare.plugin.internal.IgniteRuntimeFactory;
import io.flare.plugin.testing.Await;
import io.flare.plugin.testing.TestCluster;
import io.flare.store.cache.ObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a driver owns dies with it: its stored objects are freed and its actors killed. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FateSharingTest {

  @Test
  void objectsAndActorsOfADriverThatLeft_areReleased() {
    try (TestCluster c = TestCluster.start("fate", 2)) {
      Ignite driver = c.startNode(true, cfg -> {});
      FlareRuntime flare = IgniteFlare.attach(driver);
      ObjectStore store = IgniteRuntimeFactory.nodeOf(c.node(0)).store();
      List<ObjectRef<byte[]>> kept = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        kept.add(flare.task(ObjectStoreTest::mib, i).remote());
      }
      kept.add(flare.put(Fns.bytes(3_000_000)));
      flare.get(kept);
      ActorHandle<Counter> actor = flare.actor(Counter::new).setName("owned-by-driver").remote();
      assertThat(flare.get(actor.task(Counter::increment).remote())).isEqualTo(1);
      assertThat(store.size()).isGreaterThanOrEqualTo(6);
      FlareRuntime other = IgniteFlare.attach(c.node(1));
      assertThat(other.getActor("owned-by-driver")).isPresent();

      c.stop(2); // the driver leaves

      Await.until(
          "the driver's objects are freed", Duration.ofSeconds(30), () -> store.size() == 0);
      Await.until(
          "the driver's actor is released",
          Duration.ofSeconds(30),
          () -> other.getActor("owned-by-driver").isEmpty());
      Optional<ActorHandle<Counter>> gone = other.getActor("owned-by-driver");
      assertThat(gone).isEmpty();
      // the cluster keeps working for others
      assertThat(other.get(other.task(Fns::inc, 1).remote())).isEqualTo(2);
    }
  }
}
