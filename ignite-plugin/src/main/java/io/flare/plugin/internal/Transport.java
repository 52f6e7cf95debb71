package io.flare.plugin.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.IgniteMessaging;
import org.apache.ignite.lang.IgniteBiPredicate;

/**
 * Messages between Flare nodes over Ignite messaging, batched per destination.
 *
 * <p>Design: {@link #send} appends to the destination's outbox and, if no flush is scheduled,
 * schedules one on the I/O executor. The flush drains everything queued by then into one message
 * per type. While a flush runs, new items pile up and leave together in the next one: under load
 * thousands of tasks travel in one Ignite message; when idle, an item leaves at once. Received
 * messages are decoded on the Ignite thread that delivers them and handed to the node, which never
 * blocks there.
 */
final class Transport {
  static final String TOPIC = "flare.v1";
  private static final int MAX_BATCH = 4096;

  /**
   * An outbox idle this long is flushed on the sending thread itself (saving two thread hand-offs
   * for a lone message); one busier than that is flushed on the I/O executor, which batches.
   */
  private static final long IDLE_NANOS = 200_000;

  interface Handler {
    void onMessage(UUID from, byte type, List<Object> items);
  }

  private final Ignite ignite;
  private final Executor io;
  private final IgniteLogger log;
  private final ConcurrentHashMap<UUID, Outbox> outboxes = new ConcurrentHashMap<>();
  private final IgniteBiPredicate<UUID, Object> listener;
  private volatile boolean running = true;

  Transport(Ignite ignite, Executor io, IgniteLogger log, Handler handler) {
    this.ignite = ignite;
    this.io = io;
    this.log = log;
    this.listener =
        (from, msg) -> {
          if (!running) {
            return false;
          }
          if (msg instanceof byte[] bytes) {
            try {
              handler.onMessage(from, Message.type(bytes), Message.decode(bytes));
            } catch (RuntimeException e) {
              log.error("Flare: cannot handle a message from node " + from, e);
            }
          }
          return true;
        };
    ignite.message().localListen(TOPIC, listener);
  }

  /** Queues {@code item} for {@code dest}; never blocks. */
  void send(UUID dest, byte type, Object item) {
    Outbox box = outboxes.get(dest);
    if (box == null) {
      box = outboxes.computeIfAbsent(dest, Outbox::new);
    }
    box.queues[type].add(item);
    long now = System.nanoTime();
    long last = box.lastSend;
    box.lastSend = now;
    if (box.scheduled.compareAndSet(false, true)) {
      if (now - last > IDLE_NANOS
          && !(Thread.currentThread() instanceof org.apache.ignite.thread.IgniteThread)) {
        box.run(); // idle: send at once from this thread (never from an Ignite thread)
      } else {
        io.execute(box);
      }
    }
  }

  /** Forgets a node that left. */
  void nodeLeft(UUID node) {
    outboxes.remove(node);
  }

  void stop() {
    running = false;
    try {
      ignite.message().stopLocalListen(TOPIC, listener);
    } catch (RuntimeException ignored) {
      // the node is stopping
    }
  }

  private final class Outbox implements Runnable {
    final UUID dest;
    final AtomicBoolean scheduled = new AtomicBoolean();
    volatile long lastSend;

    @SuppressWarnings("unchecked")
    final ConcurrentLinkedQueue<Object>[] queues = new ConcurrentLinkedQueue[Message.TYPES];

    private IgniteMessaging messaging;

    Outbox(UUID dest) {
      this.dest = dest;
      for (int i = 0; i < queues.length; i++) {
        queues[i] = new ConcurrentLinkedQueue<>();
      }
    }

    @Override
    public void run() {
      do {
        scheduled.set(false);
        drain();
      } while (!isEmpty() && scheduled.compareAndSet(false, true));
    }

    private boolean isEmpty() {
      for (ConcurrentLinkedQueue<Object> q : queues) {
        if (!q.isEmpty()) {
          return false;
        }
      }
      return true;
    }

    private void drain() {
      for (byte type = 1; type < queues.length; type++) {
        ConcurrentLinkedQueue<Object> q = queues[type];
        while (!q.isEmpty()) {
          List<Object> batch = new ArrayList<>(Math.min(64, MAX_BATCH));
          Object item;
          while (batch.size() < MAX_BATCH && (item = q.poll()) != null) {
            batch.add(item);
          }
          if (!batch.isEmpty() && running) {
            deliver(type, batch);
          }
        }
      }
    }

    private void deliver(byte type, List<Object> batch) {
      try {
        if (messaging == null) {
          messaging = ignite.message(ignite.cluster().forNodeId(dest));
        }
        messaging.send(TOPIC, Message.encode(type, batch));
      } catch (RuntimeException e) {
        // The node left (its tasks are re-submitted by the node-left handler) or we are stopping.
        if (running && log.isDebugEnabled()) {
          log.debug("Flare: could not send " + batch.size() + " items to node " + dest + ": " + e);
        }
      }
    }
  }
}
