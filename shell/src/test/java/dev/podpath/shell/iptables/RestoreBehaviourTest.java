package dev.podpath.shell.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.net.IpFamily;
import dev.podpath.shell.ToolResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** iptables-restore installs each table at its COMMIT, whole or not at all. */
class RestoreBehaviourTest {

  private static ToolResult restore(Netfilter nf, String text, String... options) {
    List<String> argv = new java.util.ArrayList<>(List.of("iptables-restore"));
    argv.addAll(List.of(options));
    return Iptables.run(nf, argv, text);
  }

  private static String save(Netfilter nf) {
    return Iptables.run(nf, List.of("iptables-save", "-c"), "").stdout();
  }

  @Test
  void aTableThatFailsIsLeftAsItWasWhileEarlierTablesStayCommitted() {
    Netfilter nf = TestNamespace.netfilter();
    restore(nf, "*nat\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -j ACCEPT\nCOMMIT\n");
    String natBefore = IptablesSave.table(nf.table(IpFamily.IPV4, TableName.NAT), true);
    ToolResult r =
        restore(
            nf,
            "*filter\n:INPUT DROP [0:0]\nCOMMIT\n"
                + "*nat\n-F\n-A OUTPUT -p tcp --dport 80 -j DNAT --to-destination 10.0.0.1:8080\n"
                + "-A POSTROUTING -j DNAT --to-destination 10.0.0.2\nCOMMIT\n");
    assertThat(r.exitCode()).isEqualTo(4);
    assertThat(r.stderr())
        .isEqualTo(
            "iptables-restore v1.8.9 (nf_tables): \n"
                + "line 7: RULE_APPEND failed (Invalid argument): rule in chain POSTROUTING\n");
    assertThat(IptablesSave.table(nf.table(IpFamily.IPV4, TableName.NAT), true))
        .isEqualTo(natBefore);
    assertThat(Iptables.run(nf, List.of("iptables", "-S", "INPUT"), "").stdout())
        .isEqualTo("-P INPUT DROP\n");
  }

  @Test
  void chainDeletionsSeeTheRulesChangedBetweenThem() {
    Netfilter nf = TestNamespace.netfilter();
    restore(
        nf,
        "*filter\n:A - [0:0]\n:B - [0:0]\n:C - [0:0]\n:D - [0:0]\n"
            + "-A INPUT -j A\n-A INPUT -j B\nCOMMIT\n");
    // a stale-chain sweep as kube-proxy writes it: -X lines, with rule edits in between
    ToolResult ok = restore(nf, "*filter\n-X C\n-D INPUT -j A\n-X A\n-X D\nCOMMIT\n", "--noflush");
    assertThat(ok.stderr()).isEmpty();
    assertThat(Iptables.run(nf, List.of("iptables", "-S"), "").stdout())
        .isEqualTo("-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-N B\n-A INPUT -j B\n");
    ToolResult busy =
        restore(
            nf,
            "*filter\n:E - [0:0]\n:F - [0:0]\n-X F\n-A INPUT -j E\n-X E\nCOMMIT\n",
            "--noflush");
    assertThat(busy.exitCode()).isEqualTo(4);
    assertThat(busy.stderr())
        .isEqualTo(
            "iptables-restore v1.8.9 (nf_tables): \n"
                + "line 6: CHAIN_DEL failed (Device or resource busy): chain E\n");
  }

  @Test
  void testModeChecksWithoutChangingAnything() {
    Netfilter nf = TestNamespace.netfilter();
    String before = save(nf);
    ToolResult ok =
        restore(nf, "*filter\n:INPUT DROP [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n", "--test");
    ToolResult bad = restore(nf, "*filter\n-A INPUT -p tcp --dport 0x -j ACCEPT\nCOMMIT\n", "-t");
    assertThat(ok.exitCode()).isZero();
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr())
        .contains("invalid port/service `0x' specified", "Error occurred at line: 2");
    assertThat(save(nf)).isEqualTo(before);
  }

  @Test
  void everyRuleCarriesItsCanonicalTextForTraces() {
    Netfilter nf = TestNamespace.netfilter();
    restore(
        nf,
        "*nat\n:KUBE-SVC-A - [0:0]\n"
            + "-A OUTPUT -m comment --comment \"ns/svc:http cluster IP\" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j KUBE-SVC-A\n"
            + "-A KUBE-SVC-A -p tcp -m statistic --mode random --probability 0.5 -j DNAT --to-destination 10.0.0.1:8080\n"
            + "COMMIT\n");
    List<String> texts =
        nf.table(IpFamily.IPV4, TableName.NAT).chains().stream()
            .flatMap(c -> c.rules().stream())
            .map(Rule::text)
            .toList();
    assertThat(texts)
        .containsExactly(
            "-A OUTPUT -d 10.96.0.10/32 -p tcp -m comment --comment \"ns/svc:http cluster IP\" -m tcp --dport 80 -j KUBE-SVC-A",
            "-A KUBE-SVC-A -p tcp -m statistic --mode random --probability 0.50000000000 -j DNAT --to-destination 10.0.0.1:8080");
  }

  @Test
  void renamingAChainRewritesTheJumpsAndTextsThatNameIt() {
    Netfilter nf = TestNamespace.netfilter();
    Iptables.run(nf, List.of("iptables", "-N", "old"), "");
    Iptables.run(nf, List.of("iptables", "-A", "old", "-j", "RETURN"), "");
    Iptables.run(nf, List.of("iptables", "-A", "INPUT", "-j", "old"), "");
    assertThat(Iptables.run(nf, List.of("iptables", "-E", "old", "new"), "").exitCode()).isZero();
    List<String> texts =
        nf.table(IpFamily.IPV4, TableName.FILTER).chains().stream()
            .flatMap(c -> c.rules().stream())
            .map(Rule::text)
            .toList();
    assertThat(texts).containsExactly("-A INPUT -j new", "-A new -j RETURN");
  }
}
