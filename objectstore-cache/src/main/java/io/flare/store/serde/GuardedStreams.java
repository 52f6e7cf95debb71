package io.flare.store.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Wrappers that remember the first failure of the caller's stream, so that an I/O failure that Kryo
 * wraps on its way out is given back to the caller as the original exception instead of being
 * reported as a serialization failure of some class.
 */
final class GuardedStreams {
  private GuardedStreams() {}

  /** Rethrows {@code failure} as what it is. */
  static void rethrow(Throwable failure) throws IOException {
    if (failure instanceof IOException e) {
      throw e;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
  }

  static final class Out extends OutputStream {
    private final OutputStream out;
    Throwable failure;

    Out(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException | RuntimeException | Error e) {
        remember(e);
        throw e;
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      try {
        out.write(bytes, offset, length);
      } catch (IOException | RuntimeException | Error e) {
        remember(e);
        throw e;
      }
    }

    /** Not passed on: Kryo flushes at every full buffer; the caller flushes once at the end. */
    @Override
    public void flush() {}

    private void remember(Throwable e) {
      if (failure == null) {
        failure = e;
      }
    }
  }

  static final class In extends InputStream {
    private final InputStream in;
    Throwable failure;

    In(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException | RuntimeException | Error e) {
        remember(e);
        throw e;
      }
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      try {
        return in.read(bytes, offset, length);
      } catch (IOException | RuntimeException | Error e) {
        remember(e);
        throw e;
      }
    }

    @Override
    public int available() throws IOException {
      try {
        return in.available();
      } catch (IOException | RuntimeException | Error e) {
        remember(e);
        throw e;
      }
    }

    private void remember(Throwable e) {
      if (failure == null) {
        failure = e;
      }
    }
  }
}
