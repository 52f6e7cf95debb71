package io.flare.api.exception;

/** Base class of every exception thrown by Flare's API. Unchecked. */
public class FlareException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FlareException(String message) {
    super(message);
  }

  public FlareException(String message, Throwable cause) {
    super(message, cause);
  }
}
