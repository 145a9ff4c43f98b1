package dev.podpath.shell;

/**
 * What a command-line tool returns: its exit code and the text it printed on standard output and
 * standard error.
 */
public record ToolResult(int exitCode, String stdout, String stderr) {

  public ToolResult {
    if (exitCode < 0 || exitCode > 255) {
      throw new IllegalArgumentException("exitCode must be 0..255, got " + exitCode);
    }
  }

  /** Success with some output. */
  public static ToolResult ok(String stdout) {
    return new ToolResult(0, stdout, "");
  }

  /** Success, silently. */
  public static ToolResult ok() {
    return new ToolResult(0, "", "");
  }

  /** Failure with a message on standard error (a newline is added when missing). */
  public static ToolResult error(int exitCode, String message) {
    return new ToolResult(
        exitCode, "", message.isEmpty() || message.endsWith("\n") ? message : message + "\n");
  }

  /** Failure with this exit code and exactly this text on standard error. */
  public static ToolResult fail(int exitCode, String stderr) {
    return new ToolResult(exitCode, "", stderr);
  }

  public boolean succeeded() {
    return exitCode == 0;
  }
}
