/**
 * Cluster tests: real Ignite server JVMs started from the Spring XML under {@code config/} with
 * Ignite's own {@code CommandLineStartup}, a classpath of Ignite's jars plus the Flare drop-in jar,
 * and a client driver in the test JVM. {@link io.flare.cluster.LocalCluster} is the harness.
 */
package io.flare.cluster;
