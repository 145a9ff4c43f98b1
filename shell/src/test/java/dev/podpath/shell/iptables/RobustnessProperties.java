package dev.podpath.shell.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.shell.ToolResult;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Bad input never crashes: any command line, and any restore text, gives a result with an exit code
 * and a message, and a failing command changes nothing.
 */
class RobustnessProperties {

  static final List<String> WORDS =
      List.of(
          "-A",
          "-I",
          "-D",
          "-R",
          "-C",
          "-L",
          "-S",
          "-F",
          "-Z",
          "-N",
          "-X",
          "-E",
          "-P",
          "-t",
          "nat",
          "mangle",
          "raw",
          "filter",
          "INPUT",
          "OUTPUT",
          "FORWARD",
          "PREROUTING",
          "POSTROUTING",
          "sub",
          "1",
          "2",
          "0",
          "-1",
          "!",
          "-s",
          "-d",
          "-p",
          "tcp",
          "udp",
          "icmp",
          "sctp",
          "gre",
          "47",
          "-f",
          "--chunk-types",
          "any",
          "DATA:Be,INIT",
          "all",
          "-i",
          "-o",
          "eth0",
          "eth+0",
          "+",
          "-j",
          "-g",
          "ACCEPT",
          "DROP",
          "RETURN",
          "REJECT",
          "LOG",
          "DNAT",
          "SNAT",
          "MASQUERADE",
          "REDIRECT",
          "MARK",
          "CONNMARK",
          "CT",
          "--dport",
          "--sport",
          "80:70",
          "65536",
          "1:2",
          "-m",
          "multiport",
          "--dports",
          "90:80",
          "comment",
          "--comment",
          "",
          "mark",
          "--mark",
          "0x1/0x2",
          "conntrack",
          "--ctstate",
          "NEW",
          "--ctorigdst",
          "10.0.0.0/8",
          "state",
          "--state",
          "statistic",
          "--mode",
          "random",
          "nth",
          "--probability",
          "0.5",
          "--every",
          "--packet",
          "recent",
          "--set",
          "--rcheck",
          "--name",
          "--seconds",
          "--reap",
          "--hitcount",
          "300",
          "addrtype",
          "--dst-type",
          "LOCAL",
          "--limit-iface-in",
          "physdev",
          "--physdev-in",
          "--to-destination",
          "10.0.0.1:80",
          "1.2.3.4-1.2.3.1",
          "--to-ports",
          "8080-80",
          "--reject-with",
          "tcp-reset",
          "--log-prefix",
          "--set-xmark",
          "--save-mark",
          "-c",
          "5",
          "-n",
          "-v",
          "-x",
          "--line-numbers",
          "-w",
          "10.0.0.1/33",
          "::1",
          "--icmp-type",
          "3/300",
          "--tcp-flags",
          "SYN",
          "--syn",
          "--notrack");

  @Provide
  Arbitrary<List<String>> commandLines() {
    Arbitrary<String> word =
        Arbitraries.oneOf(Arbitraries.of(WORDS), Arbitraries.strings().ofMaxLength(6));
    return word.list()
        .ofMaxSize(12)
        .map(
            w -> {
              List<String> argv = new ArrayList<>();
              argv.add("iptables");
              argv.addAll(w);
              return argv;
            });
  }

  @Property(tries = 600)
  void anyCommandLineGivesAResultAndFailuresChangeNothing(
      @ForAll("commandLines") List<String> argv) {
    Netfilter nf = TestNamespace.netfilter();
    Iptables.run(nf, List.of("iptables", "-N", "sub"), "");
    Iptables.run(nf, List.of("iptables", "-A", "sub", "-j", "RETURN"), "");
    String before = IptablesGoldenTest.state(nf);
    ToolResult r = Iptables.run(nf, argv, "");
    assertThat(r.exitCode()).isBetween(0, 4);
    if (r.exitCode() != 0) {
      assertThat(r.stderr()).isNotEmpty();
      assertThat(IptablesGoldenTest.state(nf)).isEqualTo(before);
    }
  }

  @Property(tries = 300)
  void anyRestoreTextGivesAResult(@ForAll("commandLines") List<String> words) {
    Netfilter nf = TestNamespace.netfilter();
    String text =
        "*filter\n:sub - [0:0]\n" + String.join(" ", words.subList(1, words.size())) + "\nCOMMIT\n";
    ToolResult r = Iptables.run(nf, List.of("iptables-restore", "--noflush"), text);
    assertThat(r.exitCode()).isBetween(0, 4);
  }
}
