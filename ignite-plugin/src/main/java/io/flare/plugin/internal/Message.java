package io.flare.plugin.internal;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.flare.store.ObjectId;
import io.flare.store.cache.StoredLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The messages between Flare nodes and their compact binary form. A message is a type and a batch
 * of items of that type: many tasks (or results) bound for one node travel as one Ignite message.
 * Written by hand with Kryo's streams, so no class names travel.
 */
final class Message {
  static final byte SUBMIT = 1;
  static final byte RESULT = 2;
  static final byte CANCEL = 3;
  static final byte FETCH = 4;
  static final byte FETCH_REPLY = 5;
  static final byte ACTOR_CALL = 6;
  static final byte ACTOR_CONTROL = 7;
  static final byte CLASS_REQUEST = 8;
  static final byte CLASS_REPLY = 9;
  static final byte REFETCH = 10;
  static final byte REFCOUNT = 11;

  /** A node's Flare started (its listener is registered): answer with READY. */
  static final byte HELLO = 12;

  /** Answer to HELLO: this node's Flare is up too. */
  static final byte READY = 13;

  /**
   * A store is full: collect garbage, so refs this node dropped free their objects (an object lives
   * until its owner's JVM notices its refs are gone).
   */
  static final byte COLLECT = 14;

  static final int TYPES = 15;

  /** A ref serialized inside a value: the object and its owner. */
  record Contained(ObjectId id, UUID owner) {}

  /** A change of an object's remote reference count, sent to its owner. */
  record RefDelta(ObjectId id, int delta) {}

  /** A request for a class's bytes ({@code bytes} null), or the answer (null: not found). */
  record ClassBytes(long request, String name, byte[] bytes) {}

  /** An operation on an actor: create it, kill it, or advance a caller's watermark. */
  record ActorControl(byte op, String actorId, long value, ObjectId replyTo) {
    ActorControl(byte op, String actorId, long value) {
      this(op, actorId, value, null);
    }

    static final byte CREATE = 1;
    static final byte KILL = 2;
    static final byte SYNC = 3;
  }

  /** A task's outcome: the object id, the attempt it belongs to, and the result. */
  record ResultItem(ObjectId id, int attempt, Result result, List<Contained> contained) {
    ResultItem(ObjectId id, int attempt, Result result) {
      this(id, attempt, result, List.of());
    }
  }

  private Message() {}

  static byte[] encode(byte type, List<?> items) {
    Output out = new Output(256, -1);
    out.writeByte(type);
    out.writeVarInt(items.size(), true);
    for (Object item : items) {
      switch (type) {
        case SUBMIT, ACTOR_CALL -> writeSpec(out, (TaskSpec) item);
        case ACTOR_CONTROL -> {
          ActorControl c = (ActorControl) item;
          out.writeByte(c.op());
          out.writeString(c.actorId());
          out.writeVarLong(c.value(), false);
          out.writeBoolean(c.replyTo() != null);
          if (c.replyTo() != null) {
            writeId(out, c.replyTo());
          }
        }
        case RESULT, FETCH_REPLY -> {
          ResultItem r = (ResultItem) item;
          writeId(out, r.id());
          out.writeVarInt(r.attempt(), true);
          writeResult(out, r.result());
          out.writeVarInt(r.contained().size(), true);
          for (Contained c : r.contained()) {
            writeId(out, c.id());
            out.writeLong(c.owner().getMostSignificantBits());
            out.writeLong(c.owner().getLeastSignificantBits());
          }
        }
        case REFCOUNT -> {
          RefDelta d = (RefDelta) item;
          writeId(out, d.id());
          out.writeVarInt(d.delta(), false);
        }
        case CANCEL, FETCH, REFETCH -> writeId(out, (ObjectId) item);
        case HELLO, READY, COLLECT -> {
          // no body
        }
        case CLASS_REQUEST, CLASS_REPLY -> {
          ClassBytes c = (ClassBytes) item;
          out.writeVarLong(c.request(), true);
          out.writeString(c.name());
          out.writeVarInt(c.bytes() == null ? -1 : c.bytes().length, false);
          if (c.bytes() != null) {
            out.writeBytes(c.bytes());
          }
        }
        default -> throw new IllegalArgumentException("unknown message type " + type);
      }
    }
    return out.toBytes();
  }

  static byte type(byte[] msg) {
    return msg[0];
  }

  static List<Object> decode(byte[] msg) {
    Input in = new Input(msg);
    byte type = in.readByte();
    int n = in.readVarInt(true);
    List<Object> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      switch (type) {
        case SUBMIT, ACTOR_CALL -> items.add(readSpec(in));
        case ACTOR_CONTROL -> {
          byte op = in.readByte();
          String actor = in.readString();
          long value = in.readVarLong(false);
          items.add(new ActorControl(op, actor, value, in.readBoolean() ? readId(in) : null));
        }
        case RESULT, FETCH_REPLY -> {
          ObjectId rid = readId(in);
          int attempt = in.readVarInt(true);
          Result res = readResult(in);
          int nc = in.readVarInt(true);
          List<Contained> cs = nc == 0 ? List.of() : new ArrayList<>(nc);
          for (int k = 0; k < nc; k++) {
            cs.add(new Contained(readId(in), new UUID(in.readLong(), in.readLong())));
          }
          items.add(new ResultItem(rid, attempt, res, cs));
        }
        case CANCEL, FETCH, REFETCH -> items.add(readId(in));
        case REFCOUNT -> items.add(new RefDelta(readId(in), in.readVarInt(false)));
        case HELLO, READY, COLLECT -> items.add(Boolean.TRUE);
        case CLASS_REQUEST, CLASS_REPLY -> {
          long req = in.readVarLong(true);
          String name = in.readString();
          int len = in.readVarInt(false);
          items.add(new ClassBytes(req, name, len < 0 ? null : in.readBytes(len)));
        }
        default -> throw new IllegalArgumentException("unknown message type " + type);
      }
    }
    return items;
  }

  private static void writeId(Output out, ObjectId id) {
    out.writeLong(id.hi());
    out.writeLong(id.lo());
  }

  private static ObjectId readId(Input in) {
    return new ObjectId(in.readLong(), in.readLong());
  }

  private static void writeSpec(Output out, TaskSpec s) {
    writeId(out, s.id());
    out.writeLong(s.owner().getMostSignificantBits());
    out.writeLong(s.owner().getLeastSignificantBits());
    FunctionDescriptor f = s.function();
    out.writeString(f.className());
    out.writeString(f.methodName());
    out.writeString(f.signature());
    out.writeByte(f.kind());
    out.writeString(s.name());
    out.writeVarInt(s.attempt(), true);
    out.writeVarInt(s.args().length, true);
    for (Object a : s.args()) {
      writeValue(out, a);
    }
    UUID origin = s.origin() == null ? s.owner() : s.origin();
    out.writeLong(origin.getMostSignificantBits());
    out.writeLong(origin.getLeastSignificantBits());
    out.writeString(s.actorId());
    if (s.actorId() != null) {
      out.writeVarLong(s.seq(), true);
      out.writeVarLong(s.low(), true);
    }
  }

  private static TaskSpec readSpec(Input in) {
    ObjectId id = readId(in);
    UUID owner = new UUID(in.readLong(), in.readLong());
    FunctionDescriptor f =
        new FunctionDescriptor(in.readString(), in.readString(), in.readString(), in.readByte());
    String name = in.readString();
    int attempt = in.readVarInt(true);
    Object[] args = new Object[in.readVarInt(true)];
    for (int i = 0; i < args.length; i++) {
      args[i] = readValue(in);
    }
    UUID origin = new UUID(in.readLong(), in.readLong());
    String actor = in.readString();
    if (actor == null) {
      return new TaskSpec(id, owner, f, args, name, attempt, null, 0, 0, origin);
    }
    return new TaskSpec(
        id,
        owner,
        f,
        args,
        name,
        attempt,
        actor,
        in.readVarLong(true),
        in.readVarLong(true),
        origin);
  }

  /** A task spec as the lineage table keeps it. */
  static byte[] encodeSpec(TaskSpec spec) {
    Output out = new Output(128, -1);
    writeSpec(out, spec);
    return out.toBytes();
  }

  /**
   * Encodes resolved arguments (values or store locations), as an actor's registry record keeps
   * them.
   */
  static byte[] encodeArgs(Object[] args) {
    Output out = new Output(64, -1);
    out.writeVarInt(args.length, true);
    for (Object a : args) {
      writeValue(out, a);
    }
    return out.toBytes();
  }

  static Object[] decodeArgs(byte[] bytes) {
    Input in = new Input(bytes);
    Object[] args = new Object[in.readVarInt(true)];
    for (int i = 0; i < args.length; i++) {
      args[i] = readValue(in);
    }
    return args;
  }

  /** An argument: serialized bytes, or a store location. */
  private static void writeValue(Output out, Object v) {
    if (v instanceof byte[] b) {
      out.writeByte(0);
      out.writeVarInt(b.length, true);
      out.writeBytes(b);
    } else {
      out.writeByte(1);
      writeLocation(out, (StoredLocation) v);
    }
  }

  private static Object readValue(Input in) {
    if (in.readByte() == 0) {
      return in.readBytes(in.readVarInt(true));
    }
    return readLocation(in);
  }

  private static void writeLocation(Output out, StoredLocation l) {
    writeId(out, l.id());
    out.writeVarLong(l.size(), true);
    out.writeVarInt(l.chunks(), true);
    out.writeVarInt(l.chunkSize(), true);
    out.writeInt(l.affinity());
    out.writeBoolean(l.put());
    out.writeLong(l.version());
  }

  private static StoredLocation readLocation(Input in) {
    return new StoredLocation(
        readId(in),
        in.readVarLong(true),
        in.readVarInt(true),
        in.readVarInt(true),
        in.readInt(),
        in.readBoolean(),
        in.readLong());
  }

  private static void writeResult(Output out, Result r) {
    if (r instanceof Result.Inline i) {
      out.writeByte(0);
      out.writeVarInt(i.bytes().length, true);
      out.writeBytes(i.bytes());
    } else if (r instanceof Result.Stored s) {
      out.writeByte(1);
      writeLocation(out, s.location());
    } else {
      ErrorInfo e = ((Result.Failed) r).error();
      out.writeByte(2);
      out.writeByte(e.kind().ordinal());
      out.writeString(e.function());
      out.writeString(e.nodeId());
      out.writeString(e.className());
      out.writeString(e.message());
      String[] st = e.stack();
      out.writeVarInt(st == null ? -1 : st.length, false);
      if (st != null) {
        for (String s : st) {
          out.writeString(s);
        }
      }
      byte[] ser = e.serialized();
      out.writeVarInt(ser == null ? -1 : ser.length, false);
      if (ser != null) {
        out.writeBytes(ser);
      }
    }
  }

  private static Result readResult(Input in) {
    byte tag = in.readByte();
    if (tag == 0) {
      return new Result.Inline(in.readBytes(in.readVarInt(true)));
    }
    if (tag == 1) {
      return new Result.Stored(readLocation(in));
    }
    ErrorInfo.Kind kind = ErrorInfo.Kind.values()[in.readByte()];
    String function = in.readString();
    String node = in.readString();
    String cls = in.readString();
    String message = in.readString();
    int n = in.readVarInt(false);
    String[] st = null;
    if (n >= 0) {
      st = new String[n];
      for (int i = 0; i < n; i++) {
        st[i] = in.readString();
      }
    }
    int m = in.readVarInt(false);
    byte[] ser = m >= 0 ? in.readBytes(m) : null;
    return new Result.Failed(new ErrorInfo(kind, function, node, cls, message, st, ser));
  }
}
