package io.flare.api.exception;

/**
 * An argument, result or stored value could not be serialized or deserialized; the message names
 * the class.
 */
public class FlareSerializationException extends FlareException {
  private static final long serialVersionUID = 1L;

  public FlareSerializationException(String message) {
    super(message);
  }

  public FlareSerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}
