package io.flare.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.flare.api.ActorHandle;
import io.flare.api.exception.TaskException;
import io.flare.plugin.shipped.ShippedFns;
import io.flare.plugin.shipped.ShippedFns.Pair;
import io.flare.plugin.shipped.ShippedFns.Tally;
import io.flare.plugin.testing.TestCluster;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Servers that lack the application's classes run its tasks and actors: Flare fetches the classes
 * from the driver. The servers' class loaders hide the package {@code io.flare.plugin.shipped}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CodeShippingTest {
  static final String HIDDEN = "io.flare.plugin.shipped.";
  static TestCluster cluster;
  static FlareRuntime driver;

  /** A server's class loader without the shipped package, as a stock server would be. */
  static final class Hiding extends ClassLoader {
    Hiding(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith(HIDDEN)) {
        throw new ClassNotFoundException(name);
      }
      return super.loadClass(name, resolve);
    }

    @Override
    public java.net.URL getResource(String name) {
      return name.startsWith(HIDDEN.replace('.', '/')) ? null : super.getResource(name);
    }

    @Override
    public java.io.InputStream getResourceAsStream(String name) {
      return name.startsWith(HIDDEN.replace('.', '/')) ? null : super.getResourceAsStream(name);
    }
  }

  @BeforeAll
  static void start() {
    cluster =
        TestCluster.start(
            "shipping",
            2,
            cfg -> cfg.setClassLoader(new Hiding(CodeShippingTest.class.getClassLoader())));
    Ignite client = cluster.startNode(true, cfg -> {});
    driver = IgniteFlare.attach(client);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void withAnAllowList_driversMayShipOnlyClassesUnderIt() {
    for (String allowed : new String[] {"com.trusted.", HIDDEN}) {
      try (TestCluster c =
          TestCluster.start(
              "shipallow",
              1,
              cfg -> {
                cfg.setClassLoader(new Hiding(CodeShippingTest.class.getClassLoader()));
                ((FlarePluginConfiguration) cfg.getPluginConfigurations()[0])
                    .setAllowedClassPrefixes(java.util.List.of(allowed));
              })) {
        FlareRuntime f = IgniteFlare.attach(c.startNode(true, cfg -> {}));
        if (allowed.equals(HIDDEN)) {
          assertThat(f.get(f.task(ShippedFns::square, 7).remote(), 60_000)).isEqualTo(49);
        } else {
          Throwable t = catchThrowable(() -> f.get(f.task(ShippedFns::square, 7).remote(), 60_000));
          assertThat(t)
              .isInstanceOf(io.flare.api.exception.FlareException.class)
              .hasMessageContaining(ShippedFns.class.getName())
              .hasMessageContaining("allowedClassPrefixes");
        }
      }
    }
  }

  /**
   * A server with one worker slot runs one task at a time, also when the tasks' classes come from
   * the driver. Before, waiting for the class bytes let Ignite's pool start a spare thread, and
   * from then on two tasks ran at once (an acceptance test: 4 tasks sleeping 1 s took 2 s).
   */
  @Test
  void aServerWithOneSlot_runsShippedTasksOneAtATime() {
    try (TestCluster c =
        TestCluster.start(
            "shipslots",
            1,
            cfg -> {
              cfg.setClassLoader(new Hiding(CodeShippingTest.class.getClassLoader()));
              ((FlarePluginConfiguration) cfg.getPluginConfigurations()[0]).setWorkerThreads(1);
            })) {
      FlareRuntime f = IgniteFlare.attach(c.startNode(true, cfg -> {}));
      java.util.List<io.flare.api.ObjectRef<Integer>> refs = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        refs.add(f.task(io.flare.plugin.shipped.ShippedSlots::sleepCounted, 150).remote());
      }
      assertThat(f.get(refs, 60_000)).hasSize(6);
      assertThat(f.get(f.task(io.flare.plugin.shipped.ShippedSlots::mostAtOnce).remote(), 60_000))
          .as("tasks running at once on a server with workerThreads = 1")
          .isEqualTo(1);
    }
  }

  @Test
  void tasksOfClassesTheServersLack_runWithShippedClasses() {
    assertThat(driver.get(driver.task(ShippedFns::square, 7).remote())).isEqualTo(49);
    assertThat(driver.get(driver.task(ShippedFns::swap, new Pair(1, 2)).remote()))
        .isEqualTo(new Pair(2, 1));
  }

  @Test
  void nestedTasksOnServers_useTheDriversClassesToo() {
    assertThat(driver.get(driver.task(ShippedFns::sumOfSquares, 10).remote(), 60_000))
        .isEqualTo(385);
  }

  @Test
  void exceptionsOfShippedClasses_reachTheDriverAsThemselves() {
    Throwable t = catchThrowable(() -> driver.get(driver.task(ShippedFns::fail, "x").remote()));
    assertThat(t).isInstanceOf(TaskException.class);
    assertThat(t.getCause()).isInstanceOf(ShippedFns.ShippedFailure.class).hasMessage("x");
  }

  @Test
  void actorsOfClassesTheServersLack_work() {
    ActorHandle<Tally> tally = driver.actor(Tally::new).remote();
    assertThat(driver.get(tally.task(Tally::add, new Pair(3, 4)).remote())).isEqualTo(1);
    assertThat(driver.get(tally.task(Tally::add, new Pair(5, 6)).remote())).isEqualTo(2);
    assertThat(driver.get(tally.task(Tally::last).remote())).isEqualTo(new Pair(5, 6));
  }
}
