package dev.podpath.shell.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.net.IpFamily;
import dev.podpath.shell.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code iptables-restore} input upstream kube-proxy produces (from the shared conformance
 * corpus) is accepted whole by {@code iptables-restore --noflush --counters}, and what {@code
 * iptables-save} then prints restores to the same text again.
 */
class KubeProxyRestoreTest {

  private static Path cases() {
    return Path.of(
        System.getProperty("podpath.shared", "../shared"), "conformance", "kube-proxy", "cases");
  }

  @TestFactory
  Stream<DynamicTest> kubeProxysRestoreInputIsAcceptedAndRoundTrips() throws IOException {
    Assumptions.assumeTrue(
        Files.isDirectory(cases()),
        "kube-proxy conformance corpus absent at " + cases() + ": skipped");
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(cases())) {
      for (Path f : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        List<String> texts = restoreTexts(lines);
        if (!texts.isEmpty()) {
          tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(lines, texts)));
        }
      }
    }
    return tests.stream();
  }

  /** Applies each sync's text in turn, as kube-proxy would on one node. */
  private static void check(List<String> yaml, List<String> texts) {
    IpFamily family =
        yaml.stream().anyMatch(l -> l.trim().equals("ip_family: IPv6"))
            ? IpFamily.IPV6
            : IpFamily.IPV4;
    String program = family == IpFamily.IPV4 ? "iptables" : "ip6tables";
    Netfilter nf = netfilter(yaml);
    for (String text : texts) {
      ToolResult r =
          Iptables.run(nf, List.of(program + "-restore", "--noflush", "--counters"), text);
      assertThat(r.stderr()).as("restoring\n%s", text).isEmpty();
      assertThat(r.exitCode()).isZero();
    }
    String saved = Iptables.run(nf, List.of(program + "-save"), "").stdout();
    Netfilter again = netfilter(yaml);
    assertThat(Iptables.run(again, List.of(program + "-restore"), saved).exitCode()).isZero();
    assertThat(Iptables.run(again, List.of(program + "-save"), "").stdout()).isEqualTo(saved);
  }

  /** A netfilter with the nfacct objects kube-proxy creates before it writes its rules. */
  private static Netfilter netfilter(List<String> yaml) {
    Netfilter nf = TestNamespace.netfilter();
    for (String l : yaml) {
      String t = l.trim();
      if (t.startsWith("nfacct_counters: [")) {
        for (String name : t.substring(18, t.length() - 1).split(",")) {
          if (!name.isBlank()) {
            nf.nfacct().add(name.trim());
          }
        }
      }
    }
    return nf;
  }

  /**
   * Every block scalar under {@code expected_iptables_restore: |}, in order (one per sync step).
   */
  static List<String> restoreTexts(List<String> lines) {
    List<String> out = new ArrayList<>();
    StringBuilder sb = null;
    String indent = "";
    for (String l : lines) {
      if (l.trim().equals("expected_iptables_restore: |")) {
        if (sb != null) {
          out.add(sb.toString());
        }
        sb = new StringBuilder();
        indent = " ".repeat(l.indexOf('e') + 2);
      } else if (sb != null) {
        if (!l.startsWith(indent) && !l.isEmpty()) {
          out.add(sb.toString());
          sb = null;
          continue;
        }
        sb.append(l.length() >= indent.length() ? l.substring(indent.length()) : "").append('\n');
      }
    }
    if (sb != null) {
      out.add(sb.toString());
    }
    return out;
  }
}
