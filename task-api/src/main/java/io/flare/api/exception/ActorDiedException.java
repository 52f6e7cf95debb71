package io.flare.api.exception;

/**
 * The actor is dead: killed, its node died with no restart left, or its constructor threw (then
 * {@link #getCause()} is that exception).
 */
public class ActorDiedException extends FlareException {
  private static final long serialVersionUID = 1L;

  public ActorDiedException(String message) {
    super(message);
  }

  public ActorDiedException(String message, Throwable cause) {
    super(message, cause);
  }
}
