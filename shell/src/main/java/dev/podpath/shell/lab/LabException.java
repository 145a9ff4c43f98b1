package dev.podpath.shell.lab;

/**
 * A lab that cannot run: a syntax error, an unknown command or a failed setup step. The message
 * starts with {@code FILE:LINE:}, as a compiler's would.
 */
public final class LabException extends RuntimeException {

  private final String file;
  private final int line;
  private final String reason;

  public LabException(String file, int line, String reason) {
    super(file + ":" + line + ": " + reason);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  /** The message without its location. */
  public String reason() {
    return reason;
  }
}
