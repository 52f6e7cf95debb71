package io.flare.plugin.internal;

import java.io.PrintStream;
import org.apache.ignite.IgniteLogger;

/**
 * The embedded node's logger: warnings and errors to standard error, nothing else, so a laptop
 * program's output stays its own. Warnings Ignite prints about its own tuning ("performance
 * suggestions", default-port notices) are dropped unless {@code -Dflare.log.verbose=true}; Flare's
 * own warnings (they start with "Flare") always show.
 */
final class QuietLogger implements IgniteLogger {
  private static final boolean VERBOSE = Boolean.getBoolean("flare.log.verbose");
  private final String category;

  QuietLogger(String category) {
    this.category = category;
  }

  @Override
  public IgniteLogger getLogger(Object ctgr) {
    String c = ctgr instanceof Class<?> cls ? cls.getSimpleName() : String.valueOf(ctgr);
    return new QuietLogger(c);
  }

  @Override
  public void trace(String msg) {}

  @Override
  public void debug(String msg) {}

  @Override
  public void info(String msg) {
    if (VERBOSE) {
      print("INFO", msg, null);
    }
  }

  @Override
  public void warning(String msg, Throwable e) {
    if (VERBOSE || e != null || (msg != null && msg.startsWith("Flare"))) {
      print("WARN", msg, e);
    }
  }

  @Override
  public void error(String msg, Throwable e) {
    print("ERROR", msg, e);
  }

  private void print(String level, String msg, Throwable e) {
    PrintStream err = System.err;
    err.println("[flare-ignite " + level + "] " + category + ": " + msg);
    if (e != null && VERBOSE) {
      e.printStackTrace(err);
    } else if (e != null) {
      err.println("  caused by " + e);
    }
  }

  @Override
  public boolean isTraceEnabled() {
    return false;
  }

  @Override
  public boolean isDebugEnabled() {
    return false;
  }

  @Override
  public boolean isInfoEnabled() {
    return VERBOSE;
  }

  @Override
  public boolean isQuiet() {
    return false;
  }

  @Override
  public String fileName() {
    return null;
  }
}
