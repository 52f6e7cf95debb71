package io.flare.api.exception;

/**
 * A task or actor method threw. {@link #getCause()} is the original exception, re-created on the
 * caller with its remote stack trace; when its class cannot be loaded on the caller it is a {@link
 * RemoteException} carrying the class name, message and stack trace. The message names the function
 * and the node it ran on.
 */
public class TaskException extends FlareException {
  private static final long serialVersionUID = 1L;

  private final String functionName;
  private final String nodeId;

  public TaskException(String functionName, String nodeId, Throwable cause) {
    super(
        "Task "
            + functionName
            + " failed on node "
            + nodeId
            + ": "
            + (cause == null ? "unknown error" : cause.toString()),
        cause);
    this.functionName = functionName;
    this.nodeId = nodeId;
  }

  /** The function (or actor method) that threw, as {@code Class.method}. */
  public String getFunctionName() {
    return functionName;
  }

  /** The id of the node the function ran on. */
  public String getNodeId() {
    return nodeId;
  }
}
