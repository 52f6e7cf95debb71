package io.flare.plugin.internal;

import io.flare.api.exception.ActorDiedException;
import io.flare.api.exception.FlareException;
import io.flare.api.exception.FlareSerializationException;
import io.flare.api.exception.ObjectLostException;
import io.flare.api.exception.RemoteException;
import io.flare.api.exception.TaskCancelledException;
import io.flare.api.exception.TaskException;
import io.flare.store.serde.LoaderObjectInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/**
 * A failure as it travels between nodes: its kind, where it happened, and the original exception
 * (Java-serialized when possible, else its class name, message and stack trace). Turned back into
 * one of the API's exceptions by {@link #toException(ClassLoader)}, fresh on every call.
 */
record ErrorInfo(
    Kind kind,
    String function,
    String nodeId,
    String className,
    String message,
    String[] stack,
    byte[] serialized) {

  enum Kind {
    /** The function threw; {@code serialized} holds its exception. */
    TASK,
    CANCELLED,
    LOST,
    SERIALIZATION,
    ACTOR_DIED,
    /** Flare could not run the task (class not loadable, node gone with no retries left). */
    SYSTEM,
    /** Internal: the node no longer hosts the actor's shard; the caller routes the call again. */
    NOT_HOSTED
  }

  static ErrorInfo of(Kind kind, String function, String nodeId, String message) {
    return new ErrorInfo(kind, function, nodeId, null, message, null, null);
  }

  /** Captures an exception thrown by user code (or by Flare while running it). */
  static ErrorInfo fromThrowable(Kind kind, String function, String nodeId, Throwable t) {
    StackTraceElement[] st = t.getStackTrace();
    String[] stack = new String[st.length * 4];
    for (int i = 0; i < st.length; i++) {
      stack[4 * i] = st[i].getClassName();
      stack[4 * i + 1] = st[i].getMethodName();
      stack[4 * i + 2] = st[i].getFileName();
      stack[4 * i + 3] = Integer.toString(st[i].getLineNumber());
    }
    byte[] bytes = null;
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream(1024);
      try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
        oos.writeObject(t);
      }
      bytes = bos.toByteArray();
    } catch (IOException | RuntimeException e) {
      // not serializable (a field holds something that is not): class, message and stack remain
    }
    return new ErrorInfo(
        kind, function, nodeId, t.getClass().getName(), t.getMessage(), stack, bytes);
  }

  /** The exception a {@code get} of the failed object throws. */
  RuntimeException toException(ClassLoader loader) {
    return switch (kind) {
      case TASK -> new TaskException(function, nodeId, cause(loader));
      case CANCELLED -> new TaskCancelledException(message);
      case LOST -> new ObjectLostException(message);
      case SERIALIZATION -> new FlareSerializationException(message);
      case ACTOR_DIED ->
          className == null
              ? new ActorDiedException(message)
              : new ActorDiedException(message, cause(loader));
      case NOT_HOSTED -> new FlareException(message);
      case SYSTEM ->
          className == null
              ? new FlareException(message)
              : new TaskException(function, nodeId, cause(loader));
    };
  }

  /** The original exception re-created here, or a {@link RemoteException} standing in for it. */
  Throwable cause(ClassLoader loader) {
    if (serialized != null) {
      try (ObjectInputStream in =
          new LoaderObjectInputStream(new ByteArrayInputStream(serialized), loader)) {
        return (Throwable) in.readObject();
      } catch (IOException | ClassNotFoundException | RuntimeException e) {
        // fall through to the stand-in
      }
    }
    RemoteException r = new RemoteException(className, message);
    if (stack != null) {
      StackTraceElement[] st = new StackTraceElement[stack.length / 4];
      for (int i = 0; i < st.length; i++) {
        st[i] =
            new StackTraceElement(
                stack[4 * i],
                stack[4 * i + 1],
                stack[4 * i + 2],
                Integer.parseInt(stack[4 * i + 3]));
      }
      r.setStackTrace(st);
    }
    return r;
  }
}
