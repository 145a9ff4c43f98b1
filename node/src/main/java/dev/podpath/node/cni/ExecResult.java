package dev.podpath.node.cni;

/** What running a plugin binary gives: its exit status, stdout and stderr. */
public record ExecResult(int exitCode, String stdout, String stderr) {

  public boolean ok() {
    return exitCode == 0;
  }
}
