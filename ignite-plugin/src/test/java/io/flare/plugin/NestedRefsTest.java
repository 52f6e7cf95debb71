package io.flare.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.flare.api.ObjectRef;
import io.flare.plugin.internal.FlareNode;
import io.flare.plugin.internal.IgniteRuntimeFactory;
import io.flare.plugin.testing.Await;
import io.flare.plugin.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Refs that travel inside values are counted: their objects are freed once nobody holds them. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NestedRefsTest {

  private static int owned(TestCluster c, Ignite client) {
    int n = IgniteRuntimeFactory.nodeOf(client).ownedObjectCount();
    for (int i = 0; i < 2; i++) {
      n += IgniteRuntimeFactory.nodeOf(c.node(i)).ownedObjectCount();
    }
    return n;
  }

  private static boolean settled(TestCluster c, Ignite client, int baseline) {
    System.gc();
    return owned(c, client) <= baseline;
  }

  @Test
  void refsReturnedInsideResults_areFreedWhenTheDriverDropsThem() {
    try (TestCluster c = TestCluster.start("nested", 2)) {
      Ignite client = c.startNode(true, cfg -> {});
      FlareRuntime flare = IgniteFlare.attach(client);
      int baseline = owned(c, client);
      for (int round = 0; round < 3; round++) {
        ObjectRef<List<ObjectRef<Integer>>> made = flare.task(Fns::makeRefs, 50).remote();
        List<ObjectRef<Integer>> refs = flare.get(made);
        assertThat(flare.get(refs)).hasSize(50).contains(1, 50);
        // a task reads them too (the refs travel again inside its argument)
        assertThat(flare.get(flare.task(Fns::sumNested, refs).remote())).isEqualTo(50 * 51 / 2);
      }
      Await.until(
          "every nested object is freed",
          Duration.ofSeconds(60),
          () -> settled(c, client, baseline));
    }
  }

  @Test
  void refsInsideAPutValue_liveAsLongAsTheValue() {
    try (TestCluster c = TestCluster.start("nestedput", 2)) {
      Ignite client = c.startNode(true, cfg -> {});
      FlareRuntime flare = IgniteFlare.attach(client);
      FlareNode driver = IgniteRuntimeFactory.nodeOf(client);
      int baseline = owned(c, client);
      ObjectRef<List<ObjectRef<Integer>>> box =
          flare.put(List.of(flare.task(Fns::inc, 41).remote()));
      // the inner ref is held only by the put value: it must survive GC
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      List<ObjectRef<Integer>> inner = flare.get(box);
      assertThat(flare.get(inner.get(0))).isEqualTo(42);
      assertThat(driver.ownedObjectCount()).isGreaterThanOrEqualTo(2);
      inner = null;
      box = null;
      Await.until(
          "the put value and its inner object are freed",
          Duration.ofSeconds(60),
          () -> settled(c, client, baseline));
    }
  }

  /** Writes itself with Java serialization, the ref in a transient field it writes by hand. */
  static final class SelfWritten implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private transient ObjectRef<Integer> ref;

    SelfWritten(ObjectRef<Integer> ref) {
      this.ref = ref;
    }

    ObjectRef<Integer> ref() {
      return ref;
    }

    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
      out.defaultWriteObject();
      out.writeObject(ref);
    }

    @SuppressWarnings("unchecked")
    private void readObject(java.io.ObjectInputStream in)
        throws java.io.IOException, ClassNotFoundException {
      in.defaultReadObject();
      ref = (ObjectRef<Integer>) in.readObject();
    }
  }

  static int readSelfWritten(SelfWritten s) {
    return io.flare.api.Flare.get(s.ref()) + 1;
  }

  @Test
  void refsInsideAClassThatSerializesItself_areCounted_andReadableEverywhere() {
    try (TestCluster c = TestCluster.start("nestedjava", 2)) {
      Ignite client = c.startNode(true, cfg -> {});
      FlareRuntime flare = IgniteFlare.attach(client);
      FlareNode driver = IgniteRuntimeFactory.nodeOf(client);
      int baseline = owned(c, client);
      ObjectRef<Integer> inner = flare.task(Fns::inc, 40).remote();
      assertThat(flare.get(inner)).isEqualTo(41);
      int before = driver.heldElsewhere(inner);
      ObjectRef<SelfWritten> box = flare.put(new SelfWritten(inner));
      assertThat(driver.heldElsewhere(inner))
          .as("the stored value holds the ref it wrote with its own writeObject")
          .isEqualTo(before + 1);
      assertThat(flare.get(flare.task(NestedRefsTest::readSelfWritten, box).remote()))
          .isEqualTo(42);
      SelfWritten got = flare.get(box);
      assertThat(flare.get(got.ref())).isEqualTo(41);
      inner = null;
      got = null;
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      assertThat(flare.get(flare.task(NestedRefsTest::readSelfWritten, box).remote()))
          .as("the inner object lives as long as the value holding it")
          .isEqualTo(42);
      box = null;
      Await.until(
          "the put value and its inner object are freed",
          Duration.ofSeconds(60),
          () -> settled(c, client, baseline));
    }
  }
}
