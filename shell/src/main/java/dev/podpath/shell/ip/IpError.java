package dev.podpath.shell.ip;

/** A refusal of the {@code ip} command itself, with iproute2's words and exit code. */
final class IpError extends RuntimeException {

  private final int exitCode;

  IpError(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  /** {@code Command line is not complete. Try option "help"} (exit 255). */
  static IpError incomplete() {
    return new IpError(255, "Command line is not complete. Try option \"help\"");
  }

  /** An argument iproute2 cannot parse (exit 1). */
  static IpError garbage(String what, String value) {
    return new IpError(1, "Error: " + what + " is expected rather than \"" + value + "\".");
  }

  static IpError usage(String message) {
    return new IpError(1, message);
  }
}
