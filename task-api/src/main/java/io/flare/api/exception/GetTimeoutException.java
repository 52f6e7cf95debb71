package io.flare.api.exception;

/** A {@code get} ran out of time before the value was ready. */
public class GetTimeoutException extends FlareException {
  private static final long serialVersionUID = 1L;

  public GetTimeoutException(String message) {
    super(message);
  }

  public GetTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
