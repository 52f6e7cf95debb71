package io.flare.actor;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * An actor's mailbox: runs calls one at a time, and the calls of each caller in the order that
 * caller made them.
 *
 * <p>Ignite runs service calls and delivers messages concurrently, so order is restored here. Each
 * call carries its caller's id, its sequence number (per caller and actor) and the caller's <em>low
 * watermark</em>: the smallest sequence number it still has pending. Calls wait in a per-caller
 * hold-back map until every earlier pending call of that caller has arrived; a caller seen for the
 * first time (a new mailbox after a restart) starts at its watermark, since every call below it has
 * already completed. Runnable calls drain on the given executor, one at a time, in batches so one
 * busy actor does not hold a thread forever.
 *
 * @param <M> the call type
 */
public final class Mailbox<M> implements Runnable {
  private static final int BATCH = 64;

  private final Executor executor;
  private final Consumer<M> runner;
  private final Map<UUID, Caller<M>> callers = new HashMap<>();
  private final ArrayDeque<M> ready = new ArrayDeque<>();
  private boolean scheduled;
  private boolean started;
  private boolean closed;

  private static final class Caller<M> {
    long next = -1;
    final TreeMap<Long, M> held = new TreeMap<>();
  }

  public Mailbox(Executor executor, Consumer<M> runner) {
    this.executor = executor;
    this.runner = runner;
  }

  /**
   * Offers a call.
   *
   * @return false if the mailbox is closed (the actor died): the caller fails the call
   */
  public boolean offer(UUID caller, long seq, long lowWatermark, M call) {
    synchronized (this) {
      if (closed) {
        return false;
      }
      Caller<M> c = callers.computeIfAbsent(caller, k -> new Caller<>());
      if (c.next < lowWatermark) {
        c.next = lowWatermark;
      }
      if (seq < c.next) {
        ready.add(call); // a re-sent call whose place has passed: run it now
      } else {
        c.held.put(seq, call);
      }
      release(c);
      scheduleIfNeeded();
    }
    return true;
  }

  /**
   * Advances a caller's watermark: its calls below it will never come (they failed before they were
   * sent). May arrive before calls sent earlier; they then run in order from the watermark on.
   */
  public void sync(UUID caller, long lowWatermark) {
    synchronized (this) {
      if (closed) {
        return;
      }
      Caller<M> c = callers.computeIfAbsent(caller, k -> new Caller<>());
      if (c.next < lowWatermark) {
        c.next = lowWatermark;
      }
      while (!c.held.isEmpty() && c.held.firstKey() < c.next) {
        ready.add(c.held.pollFirstEntry().getValue());
      }
      release(c);
      scheduleIfNeeded();
    }
  }

  private void release(Caller<M> c) {
    M m;
    while ((m = c.held.remove(c.next)) != null) {
      ready.add(m);
      c.next++;
    }
  }

  /** Lets calls run (after the constructor finished). */
  public void start() {
    synchronized (this) {
      started = true;
      scheduleIfNeeded();
    }
  }

  /** Forgets a caller that left the cluster, with its held calls. */
  public void dropCaller(UUID caller) {
    synchronized (this) {
      callers.remove(caller);
    }
  }

  /**
   * For each caller, the sequence number a successor mailbox (the actor's next incarnation) should
   * start from: past every call this one ran or holds (the held ones are failed when it closes).
   */
  public synchronized Map<UUID, Long> positions() {
    Map<UUID, Long> out = new HashMap<>();
    for (Map.Entry<UUID, Caller<M>> e : callers.entrySet()) {
      Caller<M> c = e.getValue();
      long next = c.held.isEmpty() ? c.next : Math.max(c.next, c.held.lastKey() + 1);
      if (next >= 0) {
        out.put(e.getKey(), next);
      }
    }
    return out;
  }

  /**
   * Closes the mailbox and returns every call that had not run, to be failed by the caller.
   * Idempotent.
   */
  public java.util.List<M> close() {
    synchronized (this) {
      closed = true;
      java.util.List<M> left = new java.util.ArrayList<>(ready);
      ready.clear();
      for (Caller<M> c : callers.values()) {
        left.addAll(c.held.values());
        c.held.clear();
      }
      return left;
    }
  }

  public synchronized int pending() {
    int n = ready.size();
    for (Caller<M> c : callers.values()) {
      n += c.held.size();
    }
    return n;
  }

  private void scheduleIfNeeded() {
    if (started && !closed && !scheduled && !ready.isEmpty()) {
      scheduled = true;
      executor.execute(this);
    }
  }

  @Override
  public void run() {
    for (int i = 0; i < BATCH; i++) {
      M m;
      synchronized (this) {
        m = closed ? null : ready.poll();
        if (m == null) {
          scheduled = false;
          return;
        }
      }
      runner.accept(m);
    }
    synchronized (this) {
      scheduled = false;
      scheduleIfNeeded();
    }
  }
}
