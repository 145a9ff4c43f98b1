package dev.podpath.shell.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.net.IpFamily;
import dev.podpath.shell.ToolResult;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code iptables-save | iptables-restore | iptables-save} is a fixed point, and every rule's
 * printed text parses back to the same rule, for rulesets built from random iptables commands
 * (random addresses, ports, flags, marks, states, comments and log prefixes with quotes and
 * backslashes, and every target).
 */
class SaveRestoreProperties {

  @Property(tries = 150)
  void saveRestoreSaveIsAFixedPoint(@ForAll("rulesets") List<List<String>> commands) {
    Netfilter nf = TestNamespace.netfilter();
    for (List<String> c : commands) {
      Iptables.run(nf, c, "");
    }
    String saved = save(nf);
    Netfilter other = TestNamespace.netfilter();
    ToolResult r = Iptables.run(other, List.of("iptables-restore", "-c"), saved);
    assertThat(r.stderr()).as("restoring\n%s", saved).isEmpty();
    assertThat(save(other)).isEqualTo(saved);
    ToolResult again = Iptables.run(other, List.of("iptables-restore", "-c", "--noflush"), "");
    assertThat(again.exitCode()).isZero();
  }

  @Property(tries = 150)
  void everyRulesTextParsesBackToTheSameRule(@ForAll("rulesets") List<List<String>> commands) {
    Netfilter nf = TestNamespace.netfilter();
    for (List<String> c : commands) {
      Iptables.run(nf, c, "");
    }
    for (Table t : nf.tables(IpFamily.IPV4)) {
      for (Chain c : t.chains()) {
        for (Rule r : c.rules()) {
          Command parsed =
              CommandLine.parse(
                  IpFamily.IPV4,
                  t.name().iptablesName(),
                  RestoreLine.words(r.text() + "\n"),
                  name -> true);
          assertThat(parsed.rules()).hasSize(1);
          assertThat(parsed.rules().get(0).sameAs(r)).as("%s parses back", r.text()).isTrue();
          assertThat(RuleText.of(c.name(), parsed.rules().get(0))).isEqualTo(r.text());
        }
      }
    }
  }

  private static String save(Netfilter nf) {
    return Iptables.run(nf, List.of("iptables-save", "-c"), "").stdout();
  }

  @Provide
  Arbitrary<List<List<String>>> rulesets() {
    Arbitrary<List<String>> rule = Arbitraries.oneOf(filterRule(), natRule(), mangleRule());
    return rule.list()
        .ofMinSize(1)
        .ofMaxSize(12)
        .map(
            rules -> {
              List<List<String>> all = new ArrayList<>();
              all.add(List.of("iptables", "-N", "sub"));
              all.add(List.of("iptables", "-t", "nat", "-N", "KUBE-SVC-X"));
              all.add(List.of("iptables", "-P", "FORWARD", "DROP", "-c", "3", "4"));
              all.addAll(rules);
              return all;
            });
  }

  private static Arbitrary<String> ip() {
    return Arbitraries.integers()
        .between(0, 255)
        .list()
        .ofSize(4)
        .map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3));
  }

  private static Arbitrary<String> text() {
    return Arbitraries.strings().withChars("ab Z9 \"'\\$-_:/,.!*").ofMinLength(0).ofMaxLength(24);
  }

  private static Arbitrary<List<String>> addresses() {
    Arbitrary<List<String>> src =
        Combinators.combine(
                Arbitraries.of(true, false),
                ip(),
                Arbitraries.integers().between(0, 32),
                Arbitraries.of("-s", "-d"))
            .as(
                (inv, ip, len, opt) ->
                    inv ? List.of("!", opt, ip + "/" + len) : List.of(opt, ip + "/" + len));
    return src.list()
        .ofMaxSize(2)
        .map(
            l -> {
              List<String> out = new ArrayList<>();
              List<String> seen = new ArrayList<>();
              for (List<String> a : l) {
                String opt = a.get(a.size() - 2);
                if (!seen.contains(opt)) {
                  seen.add(opt);
                  out.addAll(a);
                }
              }
              return out;
            });
  }

  private static Arbitrary<List<String>> protocolPart() {
    Arbitrary<Integer> port = Arbitraries.integers().between(0, 65535);
    Arbitrary<List<String>> tcp =
        Combinators.combine(port, port, Arbitraries.of(0, 1, 2, 3))
            .as(
                (a, b, k) ->
                    switch (k) {
                      case 0 -> List.of("-p", "tcp", "--dport", Integer.toString(a));
                      case 1 ->
                          List.of(
                              "-p",
                              "tcp",
                              "--sport",
                              Math.min(a, b) + ":" + Math.max(a, b),
                              "--syn");
                      case 2 -> List.of("-p", "tcp", "!", "--tcp-flags", "SYN,ACK,FIN", "SYN");
                      default ->
                          List.of(
                              "-p",
                              "tcp",
                              "-m",
                              "multiport",
                              "!",
                              "--dports",
                              a + "," + Math.min(a, b) + ":" + Math.max(a, b));
                    });
    Arbitrary<List<String>> udp =
        port.map(p -> List.of("-p", "udp", "!", "--dport", Integer.toString(p)));
    Arbitrary<List<String>> icmp =
        Arbitraries.of("echo-request", "3/4", "any", "11")
            .map(t -> List.of("-p", "icmp", "--icmp-type", t));
    Arbitrary<List<String>> sctp =
        Combinators.combine(port, port, Arbitraries.of(0, 1, 2, 3))
            .as(
                (a, b, k) ->
                    switch (k) {
                      case 0 -> List.of("-p", "sctp", "--dport", Integer.toString(a));
                      case 1 ->
                          List.of(
                              "-p",
                              "sctp",
                              "!",
                              "--sport",
                              Math.min(a, b) + ":" + Math.max(a, b),
                              "--chunk-types",
                              "any",
                              "INIT,DATA:Be");
                      case 2 ->
                          List.of("-p", "132", "-m", "sctp", "!", "--chunk-types", "only", "NONE");
                      default -> List.of("-p", "sctp", "-m", "sctp", "--dport", "0:" + a, "-f");
                    });
    Arbitrary<List<String>> other =
        Arbitraries.of(
            List.of("-p", "gre"),
            List.of("!", "-p", "47", "!", "-f"),
            List.of("-p", "6", "-f"),
            List.of("-p", "ospf"),
            List.of("-p", "253"));
    return Arbitraries.oneOf(
        tcp,
        udp,
        icmp,
        sctp,
        other,
        Arbitraries.just(List.<String>of()),
        Arbitraries.of("eth0", "veth+", "lo").map(i -> List.of("!", "-i", i)));
  }

  private static Arbitrary<List<String>> extension() {
    Arbitrary<Long> u32 = Arbitraries.longs().between(0, 0xffffffffL);
    return Arbitraries.oneOf(
        text().map(t -> List.of("-m", "comment", "--comment", t)),
        Combinators.combine(u32, u32)
            .as(
                (v, m) ->
                    List.of(
                        "-m",
                        "mark",
                        "!",
                        "--mark",
                        "0x" + Long.toHexString(v) + "/0x" + Long.toHexString(m))),
        u32.map(v -> List.of("-m", "connmark", "--mark", Long.toString(v))),
        Arbitraries.of("NEW", "ESTABLISHED,RELATED", "INVALID,UNTRACKED,DNAT")
            .map(s -> List.of("-m", "conntrack", "--ctstate", s)),
        ip().map(
                a -> List.of("-m", "conntrack", "!", "--ctorigdst", a, "--ctorigdstport", "80:90")),
        Arbitraries.of("NEW", "RELATED,ESTABLISHED")
            .map(s -> List.of("-m", "state", "!", "--state", s)),
        Arbitraries.of("LOCAL", "UNICAST,BROADCAST")
            .map(s -> List.of("-m", "addrtype", "--dst-type", s)),
        Arbitraries.doubles()
            .between(0, 1)
            .map(
                p ->
                    List.of(
                        "-m",
                        "statistic",
                        "--mode",
                        "random",
                        "--probability",
                        String.format(java.util.Locale.ROOT, "%.5f", p))),
        Arbitraries.integers()
            .between(1, 9)
            .map(
                n ->
                    List.of(
                        "-m",
                        "statistic",
                        "--mode",
                        "nth",
                        "--every",
                        Integer.toString(n),
                        "--packet",
                        Integer.toString(n - 1))),
        Arbitraries.of("--set", "--rcheck", "--update")
            .map(
                c ->
                    c.equals("--set")
                        ? List.of("-m", "recent", "--name", "AFF", c, "--rdest")
                        : List.of(
                            "-m", "recent", "--name", "AFF", c, "--seconds", "10800", "--reap")),
        Arbitraries.of("veth0", "cni+")
            .map(p -> List.of("-m", "physdev", "--physdev-in", p, "!", "--physdev-is-bridged")));
  }

  private static Arbitrary<List<String>> rule(
      String table, String chain, Arbitrary<List<String>> target) {
    return Combinators.combine(addresses(), protocolPart(), extension().list().ofMaxSize(3), target)
        .as(
            (a, p, e, t) -> {
              List<String> argv = new ArrayList<>(List.of("iptables", "-t", table, "-A", chain));
              argv.addAll(a);
              argv.addAll(p);
              e.forEach(argv::addAll);
              argv.addAll(t);
              return argv;
            });
  }

  private static Arbitrary<List<String>> filterRule() {
    Arbitrary<List<String>> target =
        Arbitraries.oneOf(
            Arbitraries.of(
                List.of("-j", "ACCEPT"),
                List.of("-j", "DROP"),
                List.of("-j", "RETURN"),
                List.of("-j", "sub"),
                List.of("-g", "sub"),
                List.<String>of(),
                List.of("-j", "REJECT", "--reject-with", "icmp-host-prohibited"),
                List.of("-j", "REJECT", "--reject-with", "tcp-reset"),
                List.of("-j", "LOG", "--log-level", "info", "--log-uid")),
            text().filter(t -> !t.isEmpty()).map(t -> List.of("-j", "LOG", "--log-prefix", t)));
    return Combinators.combine(Arbitraries.of("INPUT", "FORWARD", "sub"), Arbitraries.just(0))
        .flatAs((chain, x) -> rule("filter", chain, target));
  }

  private static Arbitrary<List<String>> natRule() {
    Arbitrary<List<String>> target =
        Arbitraries.oneOf(
            ip().map(a -> List.of("-j", "DNAT", "--to-destination", a + ":8080", "--random")),
            ip().map(a -> List.of("-j", "SNAT", "--to-source", a, "--random-fully")),
            Arbitraries.of(
                List.of("-j", "MASQUERADE", "--random-fully"),
                List.of("-j", "KUBE-SVC-X"),
                List.of("-j", "REDIRECT", "--to-ports", "15001"),
                List.of("-j", "MARK", "--or-mark", "0x4000")));
    return Arbitraries.of("PREROUTING", "OUTPUT", "POSTROUTING", "KUBE-SVC-X")
        .flatMap(chain -> rule("nat", chain, target));
  }

  private static Arbitrary<List<String>> mangleRule() {
    Arbitrary<List<String>> target =
        Arbitraries.of(
            List.of("-j", "MARK", "--set-xmark", "0x1/0xff"),
            List.of("-j", "CONNMARK", "--save-mark"),
            List.of("-j", "CONNMARK", "--restore-mark", "--nfmask", "0xff", "--ctmask", "0xf"),
            List.of("-j", "MARK", "--and-mark", "0x7"));
    return rule("mangle", "PREROUTING", target);
  }
}
