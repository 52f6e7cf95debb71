package io.flare.api.exception;

/**
 * {@code Flare.cancel} took effect on the task that produces the value, or on a task it depends on.
 */
public class TaskCancelledException extends FlareException {
  private static final long serialVersionUID = 1L;

  public TaskCancelledException(String message) {
    super(message);
  }

  public TaskCancelledException(String message, Throwable cause) {
    super(message, cause);
  }
}
