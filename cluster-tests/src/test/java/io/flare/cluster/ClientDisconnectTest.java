package io.flare.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import io.flare.api.exception.FlareException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A driver whose cluster goes away under it (its only server killed with kill -9, then started
 * again): the client node is cut off, the servers have dropped what it owned, and a reconnect would
 * come back under another node id. Flare stops in that driver with the reason, never hangs, and
 * {@code Flare.init} connects again once a server is back.
 */
@Tag("cluster")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClientDisconnectTest {
  private LocalCluster cluster;

  public static int square(int x) {
    return x * x;
  }

  public static int sleepThenSquare(int x) throws InterruptedException {
    Thread.sleep(60_000);
    return x * x;
  }

  @AfterEach
  void stop() {
    Flare.shutdown();
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theClusterRestartedUnderADriver_stopsFlareThere_clearly_andInitConnectsAgain()
      throws Exception {
    cluster = LocalCluster.builder("disconnect").servers(1).start();
    Ignite client =
        Drivers.initFlare(ClusterEnv.config("flare-client.xml"), cluster.clientProperties());
    cluster.awaitServers(client, 1, Duration.ofSeconds(60));
    assertThat(Flare.get(Flare.task(ClientDisconnectTest::square, 3).remote(), 30_000))
        .isEqualTo(9);
    ObjectRef<Integer> pending = Flare.task(ClientDisconnectTest::sleepThenSquare, 4).remote();
    java.util.List<CompletableFuture<Integer>> futures = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      futures.add(Flare.task(ClientDisconnectTest::sleepThenSquare, i).remote().toFuture());
    }
    // a reader blocked in get when the cluster goes away
    java.util.concurrent.atomic.AtomicReference<Throwable> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread reader =
        new Thread(() -> seen.set(catchThrowable(() -> Flare.get(pending, 120_000))), "reader");
    reader.start();
    long blocked = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (reader.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < blocked) {
      Thread.sleep(5);
    }
    assertThat(reader.getState()).isEqualTo(Thread.State.TIMED_WAITING);

    cluster.kill(0);
    cluster.restart(0);

    // the blocked read fails with the reason, within the client's failure-detection timeout
    reader.join(TimeUnit.SECONDS.toMillis(150));
    assertThat(reader.isAlive()).isFalse();
    assertThat(seen.get())
        .isInstanceOf(FlareException.class)
        .hasMessageContaining("lost its connection");
    // futures of pending results end as get did, none left pending (most were, once)
    for (CompletableFuture<Integer> f : futures) {
      Throwable t = catchThrowable(() -> f.get(30, TimeUnit.SECONDS));
      assertThat(t).isInstanceOf(java.util.concurrent.ExecutionException.class);
      assertThat(t.getCause())
          .isInstanceOf(FlareException.class)
          .hasMessageContaining("lost its connection");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (Flare.isInitialized() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(Flare.isInitialized()).isFalse();
    assertThat(catchThrowable(() -> Flare.task(ClientDisconnectTest::square, 5).remote()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Flare.init()");
    CompletableFuture<Void> shutdown = CompletableFuture.runAsync(Flare::shutdown);
    shutdown.get(60, TimeUnit.SECONDS); // returns, idempotent after the stop

    Ignite again =
        Drivers.initFlare(ClusterEnv.config("flare-client.xml"), cluster.clientProperties());
    cluster.awaitServers(again, 1, Duration.ofSeconds(60));
    assertThat(Flare.get(Flare.task(ClientDisconnectTest::square, 6).remote(), 60_000))
        .isEqualTo(36);
  }
}
