package io.flare.examples;

import io.flare.api.ActorHandle;
import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Actor handles passed to tasks, from the Ray tutorial: a message-store actor collects messages
 * that several worker tasks push to it through its handle, while the driver reads what arrived so
 * far every now and then.
 *
 * <p>In Ray:
 *
 * <pre>
 * &#64;ray.remote
 * class MessageActor:
 *     def __init__(self): self.messages = []
 *     def add_message(self, m): self.messages.append(m)
 *     def get_and_clear_messages(self): ...
 *
 * &#64;ray.remote
 * def worker(message_actor, j):
 *     for i in range(100):
 *         time.sleep(1)
 *         message_actor.add_message.remote(f"Message {i} from worker {j}.")
 *
 * message_actor = MessageActor.remote()
 * [worker.remote(message_actor, j) for j in range(3)]
 * for _ in range(100):
 *     new_messages = ray.get(message_actor.get_and_clear_messages.remote())
 *     time.sleep(1)
 * </pre>
 *
 * <p>Here three workers push {@value #MESSAGES} messages each, 50 ms apart, and the driver polls
 * every 100 ms until it has all of them. Every holder of the handle reaches the same actor, and the
 * messages of one worker arrive in the order it sent them.
 *
 * <p>Expected output (the number of polls varies):
 *
 * <pre>
 * MessageActor: 3 workers x 10 messages, all 30 received in 7 polls, each worker's in order, in 0.62 s
 * </pre>
 */
public final class MessageActor {
  static final int WORKERS = 3;
  static final int MESSAGES = 10;

  private MessageActor() {}

  /** The message store. */
  public static class MessageStore {
    private final List<String> messages = new ArrayList<>();

    public void addMessage(String m) {
      messages.add(m);
    }

    public List<String> getAndClearMessages() {
      List<String> out = new ArrayList<>(messages);
      messages.clear();
      return out;
    }
  }

  /** A worker task: pushes its messages to the store through the handle it was given. */
  public static int worker(ActorHandle<MessageStore> store, int j) throws InterruptedException {
    for (int i = 0; i < MESSAGES; i++) {
      Thread.sleep(50);
      store.task(MessageStore::addMessage, "Message " + i + " from worker " + j + ".").remote();
    }
    return MESSAGES;
  }

  /** Runs the workers and polls the store; returns every message in the order received. */
  public static List<String> run() throws InterruptedException {
    ActorHandle<MessageStore> store = Flare.actor(MessageStore::new).remote();
    List<ObjectRef<Integer>> workers = new ArrayList<>();
    for (int j = 0; j < WORKERS; j++) {
      workers.add(Flare.task(MessageActor::worker, store, j).remote());
    }
    List<String> received = new ArrayList<>();
    polls = 0;
    while (received.size() < WORKERS * MESSAGES) {
      received.addAll(Flare.get(store.task(MessageStore::getAndClearMessages).remote()));
      polls++;
      if (received.size() < WORKERS * MESSAGES) {
        Thread.sleep(100);
      }
    }
    Flare.get(workers);
    store.kill();
    return received;
  }

  private static int polls;

  static void runAndPrint() {
    long start = System.nanoTime();
    List<String> received;
    try {
      received = run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    double seconds = ExampleSupport.secondsSince(start);
    boolean ordered = true;
    for (int j = 0; j < WORKERS; j++) {
      int next = 0;
      for (String m : received) {
        if (m.endsWith(" from worker " + j + ".")) {
          ordered &= m.equals("Message " + next + " from worker " + j + ".");
          next++;
        }
      }
      ordered &= next == MESSAGES;
    }
    ExampleSupport.check(
        received.size() == WORKERS * MESSAGES && ordered,
        "MessageActor: expected each worker's " + MESSAGES + " messages in order, got " + received);
    System.out.printf(
        "MessageActor: %d workers x %d messages, all %d received in %d polls, each worker's in"
            + " order, in %s%n",
        WORKERS, MESSAGES, received.size(), polls, ExampleSupport.seconds(seconds));
  }

  public static void main(String[] args) {
    Flare.init();
    try {
      runAndPrint();
    } finally {
      Flare.shutdown();
    }
  }
}
