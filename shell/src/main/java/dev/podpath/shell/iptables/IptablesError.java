package dev.podpath.shell.iptables;

/**
 * A user's mistake on an iptables command line or in restore input, as the real tool reports it.
 * The {@link Kind} decides the exit code and how the message is framed (with the program's name and
 * version, a "Try ... --help" line, or the restore line number). Nothing has been changed when it
 * is thrown.
 */
final class IptablesError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** How the real tool reports the problem. */
  enum Kind {
    /**
     * {@code xtables_error(PARAMETER_PROBLEM)}: "PROG v1.8.9 (nf_tables): MSG", a help hint, exit
     * 2.
     */
    PARAMETER(2),
    /** A parameter problem printed bare ({@code Bad argument `x'}), then the help hint; exit 2. */
    BARE_PARAMETER(2),
    /**
     * The kernel said no: "iptables: MSG", exit 1 ({@code No chain/target/match by that name.}).
     */
    RESULT(1),
    /** A batch the kernel refused: "PROG v1.8.9 (nf_tables): MSG", exit 4. */
    KERNEL(4),
    /** {@code xtables_error(OTHER_PROBLEM)} and friends: "PROG v1.8.9 (nf_tables): MSG", exit 1. */
    OTHER(1),
    /** {@code VERSION_PROBLEM} (an unknown table): "PROG v1.8.9 (nf_tables): MSG", exit 3. */
    VERSION(3),
    /** A restore line that belongs nowhere: "PROG: line N failed", exit 1. */
    LINE_FAILED(1);

    final int exitCode;

    Kind(int exitCode) {
      this.exitCode = exitCode;
    }
  }

  private final Kind kind;

  IptablesError(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  static IptablesError parameter(String message) {
    return new IptablesError(Kind.PARAMETER, message);
  }

  static IptablesError bare(String message) {
    return new IptablesError(Kind.BARE_PARAMETER, message);
  }

  static IptablesError result(String message) {
    return new IptablesError(Kind.RESULT, message);
  }

  static IptablesError kernel(String message) {
    return new IptablesError(Kind.KERNEL, message);
  }

  /** {@code iptables: No chain/target/match by that name.} */
  static IptablesError noSuchChain() {
    return result("No chain/target/match by that name.");
  }

  /** {@code iptables: Bad rule (does a matching rule exist in that chain?).} */
  static IptablesError badRule() {
    return result("Bad rule (does a matching rule exist in that chain?).");
  }

  Kind kind() {
    return kind;
  }

  int exitCode() {
    return kind.exitCode;
  }

  /** The stderr text of {@code iptables}/{@code ip6tables} ({@code program}) for this error. */
  String forCommand(String program) {
    String head = program + " " + Iptables.VERSION + ": ";
    String help = "Try `" + program + " -h' or '" + program + " --help' for more information.\n";
    return switch (kind) {
      case PARAMETER -> head + getMessage() + "\n" + help;
      case BARE_PARAMETER -> getMessage() + "\n" + help;
      case RESULT -> program + ": " + getMessage() + "\n";
      case KERNEL, OTHER, VERSION -> head + getMessage() + "\n";
      case LINE_FAILED -> program + ": " + getMessage() + "\n";
    };
  }

  /**
   * The stderr text of {@code iptables-restore} ({@code program}) for this error at {@code line}.
   */
  String forRestore(String program, int line) {
    String head = program + " " + Iptables.VERSION + ": ";
    String help = "Try `" + program + " -h' or '" + program + " --help' for more information.\n";
    String at = "Error occurred at line: " + line + "\n";
    return switch (kind) {
      case PARAMETER -> head + getMessage() + "\n" + at + help;
      case BARE_PARAMETER -> getMessage() + "\n" + at + help;
      case RESULT -> program + ": line " + line + " failed: " + getMessage() + "\n";
      case KERNEL -> head + "\nline " + line + ": " + getMessage().strip() + "\n";
      case OTHER, VERSION -> head + getMessage() + "\n";
      case LINE_FAILED -> program + ": line " + line + " failed\n";
    };
  }
}
