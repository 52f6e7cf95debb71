package io.flare.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import io.flare.api.exception.FlareException;
import io.flare.api.function.FlareFunc2;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS between nodes: a server JVM from {@code config/flare-server-tls.xml} and a client driver from
 * {@code config/flare-client-tls.xml}, with key and trust stores made by {@code keytool} here.
 */
@Tag("cluster")
class TlsClusterTest {
  private static final FlareFunc2<Integer, Integer, Integer> SUM = Integer::sum;

  @Test
  void tlsCluster_runsTasks_andRefusesAClientWithoutTls(@TempDir Path dir) {
    Keystores ks = Keystores.create(dir, "flare-test");
    Map<String, String> ssl =
        Map.of(
            "flare.ssl.keystore", ks.keyStore().toString(),
            "flare.ssl.keystore.password", ks.password(),
            "flare.ssl.truststore", ks.trustStore().toString(),
            "flare.ssl.truststore.password", ks.password());
    LocalCluster.Builder b =
        LocalCluster.builder("tls").servers(1).config(ClusterEnv.config("flare-server-tls.xml"));
    ssl.forEach(b::property);
    try (LocalCluster cluster = b.start()) {
      assertThat(cluster.server(0).logText()).contains("tls/ssl=on");
      Ignite client =
          Drivers.initFlare(ClusterEnv.config("flare-client-tls.xml"), cluster.clientProperties());
      try {
        cluster.awaitServers(client, 1, Duration.ofSeconds(60));
        assertThat(client.configuration().getSslContextFactory()).isNotNull();
        List<ObjectRef<Integer>> refs =
            IntStream.range(0, 50).mapToObj(i -> Flare.task(SUM, i, 7).remote()).toList();
        assertThat(Flare.get(refs, 60_000))
            .isEqualTo(IntStream.range(0, 50).map(i -> i + 7).boxed().toList());
        ObjectRef<Integer> chained = Flare.task(SUM, refs.get(0), refs.get(49)).remote();
        assertThat(Flare.get(chained, 60_000)).isEqualTo(7 + 56);
      } finally {
        Flare.shutdown();
      }

      // a plain client cannot join the TLS cluster: it fails within its join timeout
      Map<String, String> plain = cluster.clientProperties();
      plain.put("flare.join.timeout", "4000");
      plain.put("flare.instance.name", "tls-plain-client");
      assertThatThrownBy(() -> Drivers.initFlare(ClusterEnv.config("flare-client.xml"), plain))
          .isInstanceOf(FlareException.class)
          .hasMessageContaining("flare-client.xml");
      assertThat(Flare.isInitialized()).isFalse();
    }
  }
}
