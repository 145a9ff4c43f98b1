package dev.podpath.shell.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.shell.ToolResult;
import dev.podpath.shell.iptables.Transcript.Result;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.junit.jupiter.api.Assumptions;

/**
 * Random rulesets built with random iptables commands give the same output, errors and exit codes
 * on podpath as on the real iptables 1.8.9 (nf_tables), command by command, and the same {@code
 * -S}, {@code -L -n -v --line-numbers} and {@code iptables-save -c} at the end. Needs root and the
 * real tool; skips, saying why, elsewhere.
 */
class RealIptablesProperties {

  @BeforeProperty
  void needsTheRealTool() {
    boolean root = RealIptablesTest.run(List.of("id", "-u")).stdout().trim().equals("0");
    Assumptions.assumeTrue(root, "not root: comparison with the real iptables skipped");
    String version = RealIptablesTest.run(List.of("iptables", "-V")).stdout().trim();
    Assumptions.assumeTrue(
        version.equals(RealIptablesTest.VERSION),
        "real iptables is '" + version + "': comparison skipped");
  }

  @Provide
  Arbitrary<List<List<String>>> rulesets() {
    return new SaveRestoreProperties().rulesets();
  }

  @Property(tries = 25, seed = "20261126")
  void podpathAndRealIptablesAgree(@ForAll("rulesets") List<List<String>> commands) {
    List<List<String>> all = new ArrayList<>(commands);
    all.add(List.of("iptables", "-S"));
    all.add(List.of("iptables", "-t", "nat", "-S"));
    all.add(List.of("iptables", "-t", "mangle", "-L", "-n", "-v", "--line-numbers"));
    all.add(List.of("iptables", "-L", "-n", "-v", "-x"));
    all.add(List.of("iptables", "-t", "nat", "-L"));
    all.add(List.of("iptables-save", "-c"));
    Netfilter nf = TestNamespace.netfilter();
    String ns = "iptables-codec-p" + ProcessHandle.current().pid();
    RealIptablesTest.run(List.of("ip", "netns", "del", ns));
    RealIptablesTest.run(List.of("ip", "netns", "add", ns));
    try {
      for (List<String> c : all) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(c);
        Result real = RealIptablesTest.run(argv);
        ToolResult ours = Iptables.run(nf, c, "");
        assertThat(new Result(ours.exitCode(), ours.stdout(), ours.stderr()))
            .as("`%s`", String.join(" ", c))
            .isEqualTo(
                new Result(
                    real.exitCode(),
                    Transcript.normalize(real.stdout()),
                    Transcript.normalize(real.stderr())));
      }
    } finally {
      RealIptablesTest.run(List.of("ip", "netns", "del", ns));
    }
  }
}
