package io.flare.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The one Kubernetes API call {@code TcpDiscoveryKubernetesIpFinder} makes, over HTTPS on loopback:
 * {@code GET /api/v1/namespaces/{namespace}/endpoints/{service}} with {@code Authorization: Bearer
 * <token>}, answered with an Endpoints object listing the given pod IPs as ready addresses. Other
 * paths get 404, a wrong or missing token 401.
 */
final class FakeKubernetesApi implements AutoCloseable {
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final String path;
  private final String token;
  private final List<String> ips;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  FakeKubernetesApi(
      Keystores keys, String namespace, String service, String token, List<String> ips) {
    this.path = "/api/v1/namespaces/" + namespace + "/endpoints/" + service;
    this.token = token;
    this.ips = List.copyOf(ips);
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keys.keyStore())) {
        ks.load(in, keys.password().toCharArray());
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, keys.password().toCharArray());
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf.getKeyManagers(), null, null);
      server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.setHttpsConfigurator(new HttpsConfigurator(ssl));
      server.createContext("/", this::handle);
      server.setExecutor(executor);
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code https://127.0.0.1:<port>}. */
  String masterUrl() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every request seen, as {@code "<status> <method> <path>"}. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange ex) throws IOException {
    String p = ex.getRequestURI().getPath();
    int status;
    String body;
    if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      status = 401;
      body = "{\"kind\":\"Status\",\"code\":401,\"message\":\"Unauthorized\"}";
    } else if (!"GET".equals(ex.getRequestMethod()) || !path.equals(p)) {
      status = 404;
      body = "{\"kind\":\"Status\",\"code\":404,\"message\":\"not found: " + p + "\"}";
    } else {
      status = 200;
      body = endpointsJson();
    }
    requests.add(status + " " + ex.getRequestMethod() + " " + p);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private String endpointsJson() {
    String addresses =
        ips.stream().map(ip -> "{\"ip\":\"" + ip + "\"}").collect(Collectors.joining(","));
    return "{\"kind\":\"Endpoints\",\"apiVersion\":\"v1\",\"subsets\":[{\"addresses\":["
        + addresses
        + "],\"notReadyAddresses\":[]}]}";
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
