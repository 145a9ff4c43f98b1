package dev.podpath.shell.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.net.IpFamily;
import dev.podpath.shell.ToolResult;
import dev.podpath.shell.iptables.Transcript.Command;
import dev.podpath.shell.iptables.Transcript.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every golden transcript (recorded from the real iptables 1.8.9) on podpath: each command
 * must print exactly what the real tool printed, fail with the same message and exit code, and a
 * failing command must leave every table as it was.
 */
class IptablesGoldenTest {

  @TestFactory
  Stream<DynamicTest> podpathPrintsWhatRealIptablesPrinted() {
    return Goldens.files().stream()
        .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> replay(f)));
  }

  private static void replay(Path file) throws IOException {
    Transcript t = Transcript.read(file);
    Netfilter nf = TestNamespace.netfilter();
    List<Result> results = new ArrayList<>();
    for (Command c : t.commands()) {
      String before = state(nf);
      ToolResult r = Iptables.run(nf, c.argv(), c.stdin().orElse(""));
      results.add(new Result(r.exitCode(), r.stdout(), r.stderr()));
      if (r.exitCode() != 0 && !c.argv().get(0).endsWith("-restore")) {
        assertThat(state(nf)).as("state after failing `%s`", c.line()).isEqualTo(before);
      }
    }
    String actual = t.withResults(results).render();
    java.nio.file.Path out = Path.of("target/iptables-actual").resolve(file.getFileName());
    java.nio.file.Files.createDirectories(out.getParent());
    java.nio.file.Files.writeString(out, actual);
    assertThat(actual).as("podpath's transcript (in %s)", out).isEqualTo(t.render());
  }

  /** Every table of both families with counters, and which exist. */
  static String state(Netfilter nf) {
    StringBuilder sb = new StringBuilder();
    for (IpFamily f : IpFamily.values()) {
      for (TableName n : TableName.values()) {
        sb.append(f)
            .append(' ')
            .append(n)
            .append(' ')
            .append(nf.exists(f, n))
            .append('\n')
            .append(IptablesSave.table(nf.table(f, n), true));
      }
    }
    return sb.toString();
  }
}
