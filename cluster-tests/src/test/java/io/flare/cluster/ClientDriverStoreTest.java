package io.flare.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flare.api.ObjectRef;
import io.flare.plugin.FlareRuntime;
import io.flare.plugin.IgniteFlare;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The object store's values owned by a driver in another JVM: a stock server (64 MiB store) and a
 * client driver in the test JVM, whose heap barely grows while the loop runs, so its own garbage
 * collector would not notice the dropped refs in time. The store asks every node to collect garbage
 * when it runs short of room; without that the loop filled the store after ~60 tasks.
 */
@Tag("cluster")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClientDriverStoreTest {

  /** One MiB, marked with {@code i} at both ends. */
  public static byte[] mib(int i) {
    byte[] b = new byte[1 << 20];
    b[0] = (byte) i;
    b[b.length - 1] = (byte) (i * 7);
    return b;
  }

  /** The first and last byte of {@code b}, as an int. */
  public static int ends(byte[] b) {
    return (b[0] & 0xff) << 8 | (b[b.length - 1] & 0xff);
  }

  @Test
  void manyLargeResults_ownedByAClientDriver_droppedAsTheyGo_runInABoundedStore() {
    try (LocalCluster cluster = LocalCluster.builder("clientstore").servers(1).start()) {
      Ignite client =
          Drivers.startIgnite(ClusterEnv.config("flare-client.xml"), cluster.clientProperties());
      try {
        cluster.awaitServers(client, 1, Duration.ofSeconds(60));
        FlareRuntime flare = IgniteFlare.attach(client);
        int n = 400; // 400 MiB of results through a 64 MiB store
        for (int i = 0; i < n; i++) {
          ObjectRef<byte[]> r = flare.task(ClientDriverStoreTest::mib, i).remote();
          int got = flare.get(flare.task(ClientDriverStoreTest::ends, r).remote(), 60_000);
          assertThat(got).as("task %d", i).isEqualTo(((i & 0xff) << 8) | ((i * 7) & 0xff));
        }
        assertThat(flare.get(flare.task(ClientDriverStoreTest::ends, mib(3)).remote(), 60_000))
            .isEqualTo((3 << 8) | 21);
      } finally {
        client.close();
      }
    }
  }
}
