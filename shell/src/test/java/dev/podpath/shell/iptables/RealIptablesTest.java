package dev.podpath.shell.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.shell.iptables.Transcript.Command;
import dev.podpath.shell.iptables.Transcript.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every golden transcript on the real iptables 1.8.9 (nf_tables) in a fresh network
 * namespace, so the goldens can be re-checked on a machine that has it (as root; {@code .ci/run}
 * runs as root). Skips, saying why, elsewhere. With {@code -Dpodpath.regenerate=true} it rewrites
 * the transcripts from what the real tool printed instead of comparing.
 */
class RealIptablesTest {

  static final String VERSION = "iptables v1.8.9 (nf_tables)";

  @TestFactory
  Stream<DynamicTest> realIptablesPrintsWhatTheGoldensSay() {
    Assumptions.assumeTrue(
        isRoot(), "not root: the real-iptables replay of the goldens is skipped");
    String version = run(List.of("iptables", "-V")).stdout().trim();
    Assumptions.assumeTrue(
        version.equals(VERSION),
        "real iptables is '" + version + "', not '" + VERSION + "': replay skipped");
    return Goldens.files().stream()
        .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> replay(f)));
  }

  private static void replay(Path file) throws IOException {
    Transcript t = Transcript.read(file);
    String ns = "iptables-codec-g" + ProcessHandle.current().pid();
    List<Result> results = new ArrayList<>();
    run(List.of("ip", "netns", "del", ns));
    run(List.of("ip", "netns", "add", ns));
    try {
      for (Command c : t.commands()) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(c.argv());
        Result r = run(argv, c.stdin().orElse(""));
        results.add(
            new Result(
                r.exitCode(), Transcript.normalize(r.stdout()), Transcript.normalize(r.stderr())));
      }
    } finally {
      run(List.of("ip", "netns", "del", ns));
    }
    Transcript actual = t.withResults(results);
    if (Goldens.regenerate()) {
      Files.writeString(Goldens.SOURCE_DIR.resolve(file.getFileName()), actual.render());
    } else {
      assertThat(actual.render()).isEqualTo(t.render());
    }
  }

  private static boolean isRoot() {
    try {
      return run(List.of("id", "-u")).stdout().trim().equals("0");
    } catch (RuntimeException e) {
      return false;
    }
  }

  static Result run(List<String> argv) {
    return run(argv, "");
  }

  static Result run(List<String> argv, String stdin) {
    try {
      Path out = Files.createTempFile("iptables-codec", ".out");
      Path err = Files.createTempFile("iptables-codec", ".err");
      try {
        Process p =
            new ProcessBuilder(argv)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try (var in = p.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        int code = p.waitFor();
        return new Result(code, Files.readString(out), Files.readString(err));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + argv + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + argv, e);
    }
  }
}
