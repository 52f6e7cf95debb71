package io.flare.store.serde;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.KryoBufferUnderflowException;
import io.flare.api.exception.FlareSerializationException;
import java.util.ArrayList;
import java.util.List;

/**
 * A failure inside a Kryo object graph, carried out to {@link FlareSerializer} while the stack
 * unwinds. The innermost {@link FlareKryo} frame creates it with the class it was working on; each
 * enclosing frame adds its own class, and Kryo's field serializers add field names through {@link
 * #addTrace}, so the final message reads "field x of com.foo.Outer". It extends {@link
 * KryoException} so that Kryo's serializers pass it on unchanged.
 */
final class GraphFailure extends KryoException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_PATH = 8;
  private static final String KRYO_TRACE = "\nSerialization trace:";
  static final String DEEP_GRAPH =
      "the object graph is nested too deeply for this thread's stack (a long chain of objects each"
          + " holding the next); flatten it into a collection or raise -Xss";

  private final String failedClass;
  private final Throwable rootCause;
  private final List<String> path = new ArrayList<>();
  private final List<Integer> repeats = new ArrayList<>();
  private int omitted;
  private String pendingField;
  private Object lastObject;

  private GraphFailure(String failedClass, RuntimeException e, Object lastObject) {
    super(root(e));
    this.failedClass = failedClass;
    this.rootCause = root(e);
    this.lastObject = lastObject;
    if (e instanceof KryoException) {
      // A field serializer that failed by itself (not in a nested object) names the field.
      String message = String.valueOf(e.getMessage());
      int trace = message.indexOf(KRYO_TRACE);
      if (trace >= 0) {
        String[] entries = message.substring(trace + KRYO_TRACE.length()).strip().split("\n");
        addTrace(entries[0]);
      }
    }
  }

  /** The failure of writing {@code object}, or adds {@code object} to the path of one. */
  static GraphFailure writing(RuntimeException e, Object object) {
    if (e instanceof GraphFailure failure) {
      if (object != null && object != failure.lastObject) {
        failure.lastObject = object;
        failure.enclosedBy(object.getClass());
      }
      return failure;
    }
    return new GraphFailure(object == null ? null : displayName(object.getClass()), e, object);
  }

  /** The failure of reading a value of {@code type} (null if not known yet), or adds to one. */
  static GraphFailure reading(RuntimeException e, Class<?> type) {
    if (e instanceof GraphFailure failure) {
      if (type != null) {
        failure.enclosedBy(type);
      }
      return failure;
    }
    return new GraphFailure(type == null ? null : displayName(type), e, null);
  }

  /** Kryo's field serializers call this with "fieldName (ClassName)". */
  @Override
  public void addTrace(String info) {
    int paren = info.indexOf(" (");
    pendingField = paren > 0 ? info.substring(0, paren) : info;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  private void enclosedBy(Class<?> type) {
    String owner = displayName(type);
    String entry = pendingField != null ? "field " + pendingField + " of " + owner : "in " + owner;
    pendingField = null;
    int last = path.size() - 1;
    if (last >= 0 && path.get(last).equals(entry)) {
      repeats.set(last, repeats.get(last) + 1); // a long chain of the same field
    } else if (path.size() < MAX_PATH) {
      path.add(entry);
      repeats.add(1);
    } else {
      omitted++;
    }
  }

  FlareSerializationException toSerializeException() {
    String cause =
        rootCause instanceof FlareSerializationException
            ? rootCause.getMessage()
            : describe(rootCause);
    return new FlareSerializationException(
        "Cannot serialize value of class " + failedClass + where() + ": " + cause, cause());
  }

  FlareSerializationException toDeserializeException() {
    if (rootCause instanceof FlareSerializationException) {
      return new FlareSerializationException(rootCause.getMessage() + where(), cause());
    }
    String what = failedClass == null ? "" : " of class " + failedClass;
    return new FlareSerializationException(
        "Cannot deserialize value" + what + where() + ": " + describe(rootCause), rootCause);
  }

  /** The cause to report: a Flare exception's own cause when it has one, to avoid nesting. */
  private Throwable cause() {
    return rootCause instanceof FlareSerializationException && rootCause.getCause() != null
        ? rootCause.getCause()
        : rootCause;
  }

  private String where() {
    if (path.isEmpty()) {
      return "";
    }
    StringBuilder where = new StringBuilder(" (");
    for (int i = 0; i < path.size(); i++) {
      where.append(i > 0 ? ", " : "").append(path.get(i));
      if (repeats.get(i) > 1) {
        where.append(", ").append(repeats.get(i)).append(" times");
      }
    }
    if (omitted > 0) {
      where.append(", and ").append(omitted).append(" more");
    }
    return where.append(')').toString();
  }

  /** A one-line description of {@code t}, without Kryo's multi-line trace. */
  static String describe(Throwable t) {
    if (t instanceof StackOverflowError) {
      return DEEP_GRAPH;
    }
    if (t instanceof KryoBufferUnderflowException) {
      return "the data ends early (it is truncated or corrupt)";
    }
    if (t instanceof KryoBufferOverflowException) {
      return "the serialized form does not fit in a byte[] ("
          + t.getMessage()
          + "); use serialize(Object, OutputStream)";
    }
    if (t instanceof KryoException) {
      String message = String.valueOf(t.getMessage());
      int trace = message.indexOf(KRYO_TRACE);
      return trace >= 0 ? message.substring(0, trace) : message;
    }
    return t.toString();
  }

  static String displayName(Class<?> type) {
    return type.isArray() ? type.getTypeName() : type.getName();
  }

  /** The exception that started it all: Kryo wraps the real cause, sometimes twice. */
  private static Throwable root(Throwable e) {
    Throwable t = e;
    while (t instanceof KryoException && t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
