package io.flare.api.spi;

/**
 * Starts a runtime for {@link io.flare.api.Flare#init}. Found with {@link java.util.ServiceLoader}
 * under {@code META-INF/services/io.flare.api.spi.FlareRuntimeFactory}.
 */
public interface FlareRuntimeFactory {

  /**
   * Starts a runtime in this JVM.
   *
   * @param springXmlPathOrUrl a Spring XML file or URL to start an Ignite node from, or {@code
   *     null} for an embedded single-node cluster
   */
  FlareRuntimeSpi start(String springXmlPathOrUrl);
}
