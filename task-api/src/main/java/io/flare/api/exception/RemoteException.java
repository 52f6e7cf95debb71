package io.flare.api.exception;

/**
 * Stands in for an exception thrown remotely whose class could not be loaded (or re-created) where
 * it was caught. Carries the original class name, message and stack trace.
 */
public class RemoteException extends FlareException {
  private static final long serialVersionUID = 1L;

  private final String remoteClassName;

  public RemoteException(String remoteClassName, String message) {
    super(remoteClassName + (message == null ? "" : ": " + message));
    this.remoteClassName = remoteClassName;
  }

  /** The fully qualified class name of the original exception. */
  public String getRemoteClassName() {
    return remoteClassName;
  }
}
