package io.flare.plugin.internal;

import io.flare.api.exception.FlareException;

/**
 * Checks that the JVM was started with the {@code --add-opens} flags Ignite 2.17 needs on Java 17.
 */
final class JavaFlags {
  static final String FLAGS =
      "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
          + " --add-opens=java.management/com.sun.jmx.mbeanserver=ALL-UNNAMED"
          + " --add-opens=jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED"
          + " --add-opens=java.base/sun.reflect.generics.reflectiveObjects=ALL-UNNAMED"
          + " --add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED"
          + " --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED"
          + " --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED"
          + " --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
          + " --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"
          + " --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED"
          + " --add-opens=java.base/java.lang=ALL-UNNAMED"
          + " --add-opens=java.base/java.lang.invoke=ALL-UNNAMED"
          + " --add-opens=java.base/java.math=ALL-UNNAMED --add-opens=java.sql/java.sql=ALL-UNNAMED"
          + " --add-opens=java.base/java.lang.reflect=ALL-UNNAMED"
          + " --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED"
          + " --add-opens=java.management/sun.management=ALL-UNNAMED"
          + " --add-opens=java.desktop/java.awt.font=ALL-UNNAMED";

  private JavaFlags() {}

  static void check() {
    Module me = JavaFlags.class.getModule();
    if (!Object.class.getModule().isOpen("java.nio", me)
        || !Object.class.getModule().isOpen("sun.nio.ch", me)) {
      throw new FlareException(
          "Flare (Apache Ignite 2.17) on Java "
              + Runtime.version().feature()
              + " needs these JVM flags: "
              + FLAGS
              + " (also listed in config/jvm.options)");
    }
  }
}
