package io.flare.plugin;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.ignite.plugin.PluginConfiguration;

/**
 * Flare's settings for one node, a JavaBean so Spring XML can set it:
 *
 * <pre>{@code
 * <property name="pluginConfigurations">
 *   <bean class="io.flare.plugin.FlarePluginConfiguration">
 *     <property name="storeMaxSize" value="#{2L * 1024 * 1024 * 1024}"/>
 *     <property name="putBackups" value="1"/>
 *   </bean>
 * </property>
 * }</pre>
 *
 * Every property has a default (the constants below); {@link #validate()} runs at node start and
 * names the property and its allowed range when a value is wrong.
 */
public class FlarePluginConfiguration implements PluginConfiguration {
  /** The smallest default object store: 512 MiB. */
  public static final long MIN_DEFAULT_STORE_SIZE = 512L << 20;

  /** The smallest store that may be configured explicitly: 64 MiB. */
  public static final long MIN_STORE_SIZE = 64L << 20;

  /** Default backups of {@code put} values. */
  public static final int DEFAULT_PUT_BACKUPS = 1;

  /**
   * Default chunk size of stored values: 4 MiB less 64 bytes, so a chunk's {@code byte[]} with its
   * object header fills whole G1 heap regions (a {@code byte[4 MiB]} would take one more).
   */
  public static final int DEFAULT_CHUNK_SIZE = (4 << 20) - 64;

  /**
   * Results and {@code put} values up to this size travel inline and live in the owner's memory.
   */
  public static final int DEFAULT_INLINE_THRESHOLD = 100 << 10;

  /** Default cap on worker threads, counting those started while tasks block in {@code get}. */
  public static final int DEFAULT_MAX_WORKER_THREADS = 1024;

  /** Default number of actor shards (cluster-singleton host services). */
  public static final int DEFAULT_ACTOR_SHARDS = 16;

  private long storeMaxSize;
  private int actorShards = DEFAULT_ACTOR_SHARDS;
  private int putBackups = DEFAULT_PUT_BACKUPS;
  private int chunkSize = DEFAULT_CHUNK_SIZE;
  private long chunkCacheSize = -1;
  private long putWriteBehindSize = -1;
  private int pageSize;
  private int inlineThreshold = DEFAULT_INLINE_THRESHOLD;
  private int workerThreads;
  private int maxWorkerThreads = DEFAULT_MAX_WORKER_THREADS;
  private boolean lineageEnabled = true;
  private int defaultMaxRetries = 3;
  private Map<String, Double> resources = new LinkedHashMap<>();
  private List<String> allowedClassPrefixes = List.of();
  private boolean ownDataRegion = true;

  /** The default store size: an eighth of the machine's RAM, never under 512 MiB. */
  public static long defaultStoreMaxSize() {
    long ram = 0;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      ram = os.getTotalMemorySize();
    }
    return Math.max(MIN_DEFAULT_STORE_SIZE, ram / 8);
  }

  /** Checks every property; the message names the property and its allowed range. */
  public void validate() {
    if (storeMaxSize != 0 && storeMaxSize < MIN_STORE_SIZE) {
      throw new IllegalArgumentException(
          "FlarePluginConfiguration.storeMaxSize must be 0 (default: "
              + (defaultStoreMaxSize() >> 20)
              + " MiB here) or at least "
              + (MIN_STORE_SIZE >> 20)
              + " MiB, got "
              + storeMaxSize);
    }
    if (putBackups < 0 || putBackups > 3) {
      throw new IllegalArgumentException(
          "FlarePluginConfiguration.putBackups must be 0..3, got " + putBackups);
    }
    if (chunkSize < (64 << 10) || chunkSize > (64 << 20)) {
      throw new IllegalArgumentException(
          "FlarePluginConfiguration.chunkSize must be 64 KiB..64 MiB, got " + chunkSize);
    }
    if (pageSize != 0
        && (pageSize < 1024 || pageSize > (16 << 10) || Integer.bitCount(pageSize) != 1)) {
      throw new IllegalArgumentException(
          "FlarePluginConfiguration.pageSize must be 0 (Ignite's, 4 KiB by default) or a power of"
              + " two from 1 KiB to 16 KiB, got "
              + pageSize);
    }
    if (chunkCacheSize < -1) {
      throw new IllegalArgumentException(
          "FlarePluginConfiguration.chunkCacheSize must be -1 (default: "
              + (defaultChunkCacheSize() >> 20)
              + " MiB here), 0 (off) or a size in bytes, got "
              + chunkCacheSize);
    }
    if (putWriteBehindSize < -1) {
      throw new IllegalArgumentException(
          "FlarePluginConfiguration.putWriteBehindSize must be -1 (default: "
              + (defaultChunkCacheSize() >> 20)
              + " MiB here), 0 (off: put returns once the value is stored) or a size in bytes, got "
              + putWriteBehindSize);
    }
    if (inlineThreshold < 0 || inlineThreshold > (16 << 20)) {
      throw new IllegalArgumentException(
          "FlarePluginConfiguration.inlineThreshold must be 0..16 MiB, got " + inlineThreshold);
    }
    if (workerThreads < 0 || workerThreads > 4096) {
      throw new IllegalArgumentException(
          "FlarePluginConfiguration.workerThreads must be 0 (= number of cores)..4096, got "
              + workerThreads);
    }
    if (maxWorkerThreads < Math.max(1, effectiveWorkerThreads()) || maxWorkerThreads > 32767) {
      throw new IllegalArgumentException(
          "FlarePluginConfiguration.maxWorkerThreads must be workerThreads.."
              + "32767, got "
              + maxWorkerThreads);
    }
    if (actorShards < 1 || actorShards > 1024) {
      throw new IllegalArgumentException(
          "FlarePluginConfiguration.actorShards must be 1..1024, got " + actorShards);
    }
    if (defaultMaxRetries < -1) {
      throw new IllegalArgumentException(
          "FlarePluginConfiguration.defaultMaxRetries must be >= -1, got " + defaultMaxRetries);
    }
    for (Map.Entry<String, Double> e : resources.entrySet()) {
      if (e.getKey() == null
          || e.getKey().isBlank()
          || e.getValue() == null
          || !Double.isFinite(e.getValue())
          || e.getValue() < 0) {
        throw new IllegalArgumentException(
            "FlarePluginConfiguration.resources: each entry needs a name and a finite quantity >="
                + " 0, got "
                + e);
      }
    }
    for (String prefix : allowedClassPrefixes) {
      if (prefix == null || prefix.isBlank()) {
        throw new IllegalArgumentException(
            "FlarePluginConfiguration.allowedClassPrefixes: each entry must be a non-blank class-name"
                + " prefix such as \"com.example.\", got "
                + allowedClassPrefixes.stream().map(p -> "\"" + p + "\"").toList());
      }
    }
  }

  /** The default chunk cache: an eighth of the heap, at most 256 MiB. */
  public static long defaultChunkCacheSize() {
    return Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);
  }

  /**
   * Bytes of heap for the node's chunk cache, -1 for the default ({@link
   * #defaultChunkCacheSize()}), 0 to turn it off. The cache keeps the chunks of stored values this
   * node recently wrote or read (least recently used go first), so a value read again on this node
   * — by the task it was scheduled next to, by several tasks, by the driver that put it — is
   * decoded from the heap instead of being read again from the off-heap store or over the network.
   * Stored values never change; a read from the cache still checks that the value exists in the
   * store, so a freed or lost value is reported as such. Chunks are held softly: the JVM drops them
   * before it would run out of memory.
   */
  public long getChunkCacheSize() {
    return chunkCacheSize;
  }

  public FlarePluginConfiguration setChunkCacheSize(long chunkCacheSize) {
    this.chunkCacheSize = chunkCacheSize;
    return this;
  }

  /** The chunk cache size in force. */
  public long effectiveChunkCacheSize() {
    return chunkCacheSize < 0 ? defaultChunkCacheSize() : chunkCacheSize;
  }

  /**
   * Bytes of heap for large {@code put} values still being written to the store, -1 for the default
   * (as {@link #defaultChunkCacheSize()}: an eighth of the heap, at most 256 MiB), 0 to turn
   * writing behind off.
   *
   * <p>A {@code put} of a large primitive array ({@code long[]}, {@code double[]}, {@code byte[]}
   * …, bigger than one chunk: {@link #getChunkSize()}) returns once the value is encoded in this
   * node's heap, as Ray's {@code put} returns once the value is in the local object store; the
   * store's threads then write it to the cluster's store. Until they have, the value is read on
   * this node from the heap, and tasks and actor calls that take it as an argument, and other nodes
   * that read it, wait for the write. A value that would take this node past the limit, or that the
   * nodes meant to hold it may lack room for, is written before {@code put} returns, as with 0. A
   * write that fails after {@code put} returned (a store filled by others meanwhile) fails the
   * value from then on: its {@code get}, the tasks that take it and {@code FlareNode.awaitStored}
   * throw a {@code FlareException} that says why (reads on the owner before that got the value from
   * its heap). Values freed while written are never stored, and a node that stops gives up its
   * unwritten values (it owned them: they would be freed). Other {@code put} values and all task
   * results are always stored before they are acknowledged.
   */
  public long getPutWriteBehindSize() {
    return putWriteBehindSize;
  }

  public FlarePluginConfiguration setPutWriteBehindSize(long putWriteBehindSize) {
    this.putWriteBehindSize = putWriteBehindSize;
    return this;
  }

  /** The write-behind limit in force. */
  public long effectivePutWriteBehindSize() {
    return putWriteBehindSize < 0 ? defaultChunkCacheSize() : putWriteBehindSize;
  }

  /** Object store size in bytes, 0 for the default. */
  public long getStoreMaxSize() {
    return storeMaxSize;
  }

  public FlarePluginConfiguration setStoreMaxSize(long storeMaxSize) {
    this.storeMaxSize = storeMaxSize;
    return this;
  }

  /** The store size in force: the configured one, or {@link #defaultStoreMaxSize()}. */
  public long effectiveStoreMaxSize() {
    return storeMaxSize == 0 ? defaultStoreMaxSize() : storeMaxSize;
  }

  /**
   * Backups of values stored with {@code put} (task results have none: lineage re-creates them).
   */
  public int getPutBackups() {
    return putBackups;
  }

  public FlarePluginConfiguration setPutBackups(int putBackups) {
    this.putBackups = putBackups;
    return this;
  }

  /** Size of the chunks large values are stored in. */
  public int getChunkSize() {
    return chunkSize;
  }

  public FlarePluginConfiguration setChunkSize(int chunkSize) {
    this.chunkSize = chunkSize;
    return this;
  }

  /**
   * Page size of the node's off-heap memory in bytes, 0 to leave Ignite's (its {@code
   * DataStorageConfiguration.pageSize}, 4 KiB by default). Ignite has one page size for all data
   * regions of a node, so this sets the node's; a {@code DataStorageConfiguration} that sets
   * another one is an error at start. A power of two from 1 KiB to 16 KiB. Larger pages mean fewer
   * pages per chunk but more memory per partition (every partition of every cache takes a few
   * pages): with 16 KiB pages, Flare's embedded node's 128 MiB default region ran out of memory as
   * soon as a few more caches were created, so size the default region with it.
   */
  public int getPageSize() {
    return pageSize;
  }

  public FlarePluginConfiguration setPageSize(int pageSize) {
    this.pageSize = pageSize;
    return this;
  }

  /** Largest serialized value that travels inline instead of through the store. */
  public int getInlineThreshold() {
    return inlineThreshold;
  }

  public FlarePluginConfiguration setInlineThreshold(int inlineThreshold) {
    this.inlineThreshold = inlineThreshold;
    return this;
  }

  /** Tasks run at once on this node (its {@code CPU} resource); 0 = number of cores. */
  public int getWorkerThreads() {
    return workerThreads;
  }

  public FlarePluginConfiguration setWorkerThreads(int workerThreads) {
    this.workerThreads = workerThreads;
    return this;
  }

  public int effectiveWorkerThreads() {
    return workerThreads == 0 ? Runtime.getRuntime().availableProcessors() : workerThreads;
  }

  /** Cap on worker threads, including those added while tasks block in {@code get}. */
  public int getMaxWorkerThreads() {
    return maxWorkerThreads;
  }

  public FlarePluginConfiguration setMaxWorkerThreads(int maxWorkerThreads) {
    this.maxWorkerThreads = maxWorkerThreads;
    return this;
  }

  /** Keep the lineage of task results so lost ones can be re-created. */
  public boolean isLineageEnabled() {
    return lineageEnabled;
  }

  public FlarePluginConfiguration setLineageEnabled(boolean lineageEnabled) {
    this.lineageEnabled = lineageEnabled;
    return this;
  }

  /** Retries of a task after a node failure when the caller does not set them. */
  public int getDefaultMaxRetries() {
    return defaultMaxRetries;
  }

  public FlarePluginConfiguration setDefaultMaxRetries(int defaultMaxRetries) {
    this.defaultMaxRetries = defaultMaxRetries;
    return this;
  }

  /** Custom resources this node offers (such as {@code GPU -> 1}); {@code CPU} is added. */
  public Map<String, Double> getResources() {
    return resources;
  }

  public FlarePluginConfiguration setResources(Map<String, Double> resources) {
    this.resources = new LinkedHashMap<>(resources);
    return this;
  }

  /**
   * When not empty, only classes whose names start with one of these prefixes (plus the JDK's and
   * Flare's) are deserialized, and only classes under these prefixes are shipped from drivers to
   * this node (classes on the node's own classpath load as always). Off by default; turn it on in
   * production, so a value cannot name an arbitrary class on the servers' classpath and a driver
   * cannot run code outside the prefixes you trust.
   */
  public List<String> getAllowedClassPrefixes() {
    return allowedClassPrefixes;
  }

  public FlarePluginConfiguration setAllowedClassPrefixes(List<String> allowedClassPrefixes) {
    this.allowedClassPrefixes = List.copyOf(allowedClassPrefixes);
    return this;
  }

  /**
   * How many cluster-singleton services host actors; each actor lives in one, chosen by its id.
   * Every node of a cluster must use the same value.
   */
  public int getActorShards() {
    return actorShards;
  }

  public FlarePluginConfiguration setActorShards(int actorShards) {
    this.actorShards = actorShards;
    return this;
  }

  /** Put the object store in its own data region ({@code flare-store}); else the default region. */
  public boolean isOwnDataRegion() {
    return ownDataRegion;
  }

  public FlarePluginConfiguration setOwnDataRegion(boolean ownDataRegion) {
    this.ownDataRegion = ownDataRegion;
    return this;
  }
}
