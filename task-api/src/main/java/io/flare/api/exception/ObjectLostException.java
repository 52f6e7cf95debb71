package io.flare.api.exception;

/**
 * A value is gone and cannot be re-created, for example a {@code put} value whose every copy was
 * lost, or an object that was already freed.
 */
public class ObjectLostException extends FlareException {
  private static final long serialVersionUID = 1L;

  public ObjectLostException(String message) {
    super(message);
  }

  public ObjectLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
