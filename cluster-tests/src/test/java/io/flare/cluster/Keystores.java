package io.flare.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test key material made with the JDK's {@code keytool}: a PKCS12 key store holding one self-signed
 * key pair, and a PKCS12 trust store holding its certificate.
 *
 * @param keyStore the key pair's store
 * @param trustStore the store trusting it
 * @param password the password of both
 */
record Keystores(Path keyStore, Path trustStore, String password) {

  /** Makes {@code node.p12} and {@code trust.p12} in {@code dir} for {@code CN=<cn>}. */
  static Keystores create(Path dir, String cn) {
    String pass = "flare-test-pass";
    Path key = dir.resolve("node.p12");
    Path cert = dir.resolve("node.cer");
    Path trust = dir.resolve("trust.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "flare",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=" + cn,
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        key.toString(),
        "-storepass",
        pass,
        "-keypass",
        pass);
    keytool(
        "-exportcert",
        "-alias",
        "flare",
        "-keystore",
        key.toString(),
        "-storepass",
        pass,
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "flare",
        "-file",
        cert.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        trust.toString(),
        "-storepass",
        pass);
    return new Keystores(key, trust, pass);
  }

  private static void keytool(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
