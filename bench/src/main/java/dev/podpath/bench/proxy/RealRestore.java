package dev.podpath.bench.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host's own {@code iptables-restore} timed in a network namespace that exists only for the run
 * ({@code ip netns add pp-bench-PID-N}, deleted afterwards whatever happens), so that the host's
 * own tables are never touched. Needs root; {@link #unavailable()} says why it cannot run.
 */
final class RealRestore {

  /** The two backends of iptables 1.8: nf_tables and the legacy x_tables. */
  static final List<String> TOOLS = List.of("iptables-legacy-restore", "iptables-nft-restore");

  private static int made;

  private RealRestore() {}

  /**
   * Wall, user and system seconds of the restore, and the rules the namespace then holds; {@code
   * finished} is false when the restore was stopped at the time limit.
   */
  record Result(boolean finished, double wall, double user, double sys, long rulesLoaded) {}

  /** Why the host's tool cannot be measured here, or empty when it can. */
  static Optional<String> unavailable() {
    try {
      Output id = exec(List.of("id", "-u"));
      if (!id.stdout().strip().equals("0")) {
        return Optional.of("not root: creating a network namespace needs root");
      }
      for (String tool : TOOLS) {
        if (exec(List.of("sh", "-c", "command -v " + tool)).code() != 0) {
          return Optional.of(tool + " is not installed");
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot run id/ip: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  /**
   * Creates a namespace, restores {@code file} into it with {@code tool} (killed after {@code
   * limitSeconds}), deletes it.
   */
  static Result run(String tool, Path file, int limitSeconds)
      throws IOException, InterruptedException {
    String ns = "pp-bench-" + ProcessHandle.current().pid() + "-" + (++made);
    check(exec(List.of("ip", "netns", "add", ns)), "ip netns add " + ns);
    try {
      // bash's time reports the children's wall, user and system time on stderr
      Output timed =
          exec(
              List.of(
                  "bash",
                  "-c",
                  "TIMEFORMAT='%3R %3U %3S'; time timeout -s KILL \"$3\" ip netns exec \"$0\""
                      + " \"$1\" --noflush --counters \"$2\"",
                  ns,
                  tool,
                  file.toString(),
                  Integer.toString(limitSeconds)));
      boolean finished = timed.code() == 0;
      if (!finished && timed.code() != 137) {
        check(timed, tool);
      }
      String[] lines = timed.stderr().strip().split("\n");
      String[] t = lines[lines.length - 1].trim().split(" ");
      String save = tool.replace("-restore", "-save");
      Output saved = exec(List.of("ip", "netns", "exec", ns, save));
      check(saved, save);
      long rules = saved.stdout().lines().filter(l -> l.startsWith("-A ")).count();
      return new Result(
          finished,
          Double.parseDouble(t[0]),
          Double.parseDouble(t[1]),
          Double.parseDouble(t[2]),
          rules);
    } finally {
      check(exec(List.of("ip", "netns", "del", ns)), "ip netns del " + ns);
    }
  }

  record Output(int code, String stdout, String stderr) {}

  static Output exec(List<String> argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(argv)).start();
    p.getOutputStream().close();
    var err = new StringBuilder();
    Thread drain =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    err.append(
                        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                  } catch (IOException e) {
                    err.append(e.getMessage());
                  }
                });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    drain.join();
    return new Output(code, out, err.toString());
  }

  private static void check(Output o, String what) {
    if (o.code() != 0) {
      throw new IllegalStateException(what + " failed (exit " + o.code() + "): " + o.stderr());
    }
  }
}
