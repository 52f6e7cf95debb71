package io.flare.api;

import io.flare.api.spi.FlareRuntimes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The entry point: start Flare, submit tasks, create actors, store and read values.
 *
 * <pre>{@code
 * Flare.init();                                   // embedded single-node cluster
 * ObjectRef<Integer> r = Flare.task(Main::square, 4).remote();
 * int v = Flare.get(r);                           // 16
 * }</pre>
 *
 * <p>Every method but {@link #init()} and {@link #isInitialized()} throws {@link
 * IllegalStateException} before {@code init()}. Inside a task or actor method, calls go to the
 * runtime of the node the code runs on. All methods are thread-safe.
 *
 * <p>The {@code task} and {@code actor} overloads (inherited from a generated class) accept, in
 * every argument position, either a value of the parameter's type or an {@link ObjectRef} of it.
 */
public final class Flare extends FlareCalls {
  /** System property naming a Spring XML file or URL for {@link #init()}. */
  public static final String CONFIG_PROPERTY = "flare.config";

  /** Environment variable naming a Spring XML file or URL for {@link #init()}. */
  public static final String CONFIG_ENV = "FLARE_CONFIG";

  private Flare() {}

  /**
   * Starts Flare in this JVM; a no-op when it is already started. If the system property {@value
   * #CONFIG_PROPERTY} (or the environment variable {@value #CONFIG_ENV}) names a Spring XML file or
   * URL, an Ignite node is started from it (server or client, as the file says). Otherwise an
   * embedded single-node cluster starts, bound to loopback, that never joins other nodes. Blocks
   * until the node is up.
   */
  public static void init() {
    String cfg = System.getProperty(CONFIG_PROPERTY);
    if (cfg == null || cfg.isBlank()) {
      cfg = System.getenv(CONFIG_ENV);
    }
    FlareRuntimes.startGlobal(cfg == null || cfg.isBlank() ? null : cfg);
  }

  /**
   * Starts Flare from a Spring XML file or URL; a no-op when it is already started.
   *
   * @throws io.flare.api.exception.FlareException naming the file when it is missing or malformed
   */
  public static void init(String springXmlPathOrUrl) {
    Objects.requireNonNull(
        springXmlPathOrUrl, "springXmlPathOrUrl (use init() for an embedded node)");
    FlareRuntimes.startGlobal(springXmlPathOrUrl);
  }

  /** True between {@code init} and {@code shutdown} (and inside tasks and actors). */
  public static boolean isInitialized() {
    return FlareRuntimes.currentOrNull() != null;
  }

  /**
   * Stops what {@code init} started and releases the objects this process owns; idempotent. {@code
   * init} may be called again afterwards.
   */
  public static void shutdown() {
    FlareRuntimes.shutdownGlobal();
  }

  /**
   * Stores a value in the object store and returns a ref to it. The value is serialized at once
   * (later changes to it are not seen). {@code null} is allowed.
   *
   * @throws io.flare.api.exception.FlareSerializationException naming the class that cannot be
   *     serialized
   */
  public static <T> ObjectRef<T> put(T value) {
    return FlareRuntimes.current().put(value);
  }

  /**
   * Blocks until the value is available and returns it (a fresh copy).
   *
   * @throws io.flare.api.exception.TaskException when the task that produces it (or one it depends
   *     on) threw
   * @throws io.flare.api.exception.TaskCancelledException when it was cancelled
   * @throws io.flare.api.exception.ObjectLostException when it is gone for good
   */
  public static <T> T get(ObjectRef<T> ref) {
    return FlareRuntimes.of(ref).get(ref, Long.MAX_VALUE);
  }

  /**
   * As {@link #get(ObjectRef)}, waiting at most {@code timeoutMs} milliseconds.
   *
   * @throws io.flare.api.exception.GetTimeoutException when the time runs out
   * @throws IllegalArgumentException when {@code timeoutMs} is negative
   */
  public static <T> T get(ObjectRef<T> ref, long timeoutMs) {
    return FlareRuntimes.of(ref).get(ref, timeoutMs);
  }

  /** The values of {@code refs}, in order. Blocks until all are available. */
  public static <T> List<T> get(List<ObjectRef<T>> refs) {
    return FlareRuntimes.current().get(refs, Long.MAX_VALUE);
  }

  /** The values of {@code refs}, in order; {@code timeoutMs} bounds the whole call. */
  public static <T> List<T> get(List<ObjectRef<T>> refs, long timeoutMs) {
    return FlareRuntimes.current().get(refs, timeoutMs);
  }

  /**
   * Waits until {@code numReturns} of {@code refs} are ready (value or error) or {@code timeoutMs}
   * passes. At most {@code numReturns} refs are in {@link WaitResult#getReady()}; both lists keep
   * the input order. An empty list gives two empty lists.
   *
   * @throws IllegalArgumentException when {@code numReturns} is outside {@code 1..refs.size()},
   *     {@code refs} holds duplicates, or {@code timeoutMs} is negative
   */
  public static <T> WaitResult<T> wait(List<ObjectRef<T>> refs, int numReturns, long timeoutMs) {
    return FlareRuntimes.current().wait(refs, numReturns, timeoutMs);
  }

  /**
   * As {@link #wait(List, int, long)}; with {@code fetchLocal} (as in Ray), a ref counts as ready
   * only once its value is also on this node: a value in the object store elsewhere is fetched into
   * this node's chunk cache first, so a {@code get} right after does not wait for the network (a
   * value larger than the chunk cache is fetched only in part). {@code false} is the three-argument
   * {@code wait}.
   */
  public static <T> WaitResult<T> wait(
      List<ObjectRef<T>> refs, int numReturns, long timeoutMs, boolean fetchLocal) {
    return FlareRuntimes.current().wait(refs, numReturns, timeoutMs, fetchLocal);
  }

  /** As {@link #wait(List, int, long)} with no timeout. */
  public static <T> WaitResult<T> wait(List<ObjectRef<T>> refs, int numReturns) {
    return FlareRuntimes.current().wait(refs, numReturns, Long.MAX_VALUE);
  }

  /** Waits for all of {@code refs}. */
  public static <T> WaitResult<T> wait(List<ObjectRef<T>> refs) {
    return FlareRuntimes.current()
        .wait(refs, Objects.requireNonNull(refs, "refs").size(), Long.MAX_VALUE);
  }

  /**
   * Cancels the task that produces {@code ref} if it has not finished (a running task is
   * interrupted); a later {@code get} of it, or of any task depending on it, throws {@link
   * io.flare.api.exception.TaskCancelledException}. Does nothing for finished tasks and {@code put}
   * values. Does not block.
   */
  public static void cancel(ObjectRef<?> ref) {
    FlareRuntimes.of(ref).cancel(ref);
  }

  /** The named actor, if it is alive. Works from any node, clients included. */
  public static <A> Optional<ActorHandle<A>> getActor(String name) {
    return FlareRuntimes.current().getActor(name);
  }

  /** Where the calling code runs. */
  public static RuntimeContext getRuntimeContext() {
    return FlareRuntimes.current().getRuntimeContext();
  }
}
