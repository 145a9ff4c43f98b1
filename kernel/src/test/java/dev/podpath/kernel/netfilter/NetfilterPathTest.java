package dev.podpath.kernel.netfilter;

import static dev.podpath.kernel.netfilter.Pk.dport;
import static dev.podpath.kernel.netfilter.Pk.dst;
import static dev.podpath.kernel.netfilter.Pk.ip;
import static dev.podpath.kernel.netfilter.Pk.proto;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.podpath.kernel.embedded.EmbeddedWorld;
import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.RejectWith;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Fate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Netfilter, conntrack and NAT on the real packet walk. The topology is the one checked on Linux
 * 6.18 in namespaces netfilter-c, netfilter-r and netfilter-s: client c (10.1.0.2, 10.1.0.3) —
 * router r (rc 10.1.0.1, rs 10.2.0.1, ip_forward=1) — server s (10.2.0.2) with a TCP server on 80
 * that answers with the peer address it saw, and a second server s2 (10.3.0.2) on rs2.
 */
class NetfilterPathTest {

  private final EmbeddedWorld w = new EmbeddedWorld();

  @BeforeEach
  void topology() {
    w.netns("host/c");
    w.netns("host/r");
    w.netns("host/s");
    w.netns("host/s2");
    w.veth("host/c", "c0", "10.1.0.2/24", "host/r", "rc", "10.1.0.1/24");
    w.addr("host/c", "c0", "10.1.0.3/24");
    w.veth("host/s", "s0", "10.2.0.2/24", "host/r", "rs", "10.2.0.1/24");
    w.veth("host/s2", "s0", "10.3.0.2/24", "host/r", "rs2", "10.3.0.1/24");
    w.route("host/c", "default via 10.1.0.1");
    w.route("host/s", "default via 10.2.0.1");
    w.route("host/s2", "default via 10.3.0.1");
    w.sysctl("host/r", "net.ipv4.ip_forward", "1");
    w.listen("host/s", "tcp", 80);
    w.listen("host/s2", "tcp", 80);
  }

  private Netfilter nf(String ns) {
    return w.ns(ns).netfilter();
  }

  private void append(String ns, TableName table, String chain, Rule rule) {
    Table t = nf(ns).table(IpFamily.IPV4, table);
    nf(ns).commit(t.withChain(t.chain(chain).orElse(Chain.user(chain)).append(rule)));
  }

  private static Rule rule(String text, Target target, Match... matches) {
    return new Rule(List.of(matches), target, text, Counters.ZERO);
  }

  private void dnatAndMasquerade() {
    append(
        "host/r",
        TableName.NAT,
        "PREROUTING",
        rule(
            "-A PREROUTING -d 10.1.0.1/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.2.0.2:80",
            Target.Dnat.to(ip("10.2.0.2"), 80),
            dst("10.1.0.1"),
            proto(Protocol.TCP),
            dport(8080)));
    append(
        "host/r",
        TableName.NAT,
        "POSTROUTING",
        rule(
            "-A POSTROUTING -o rs -j MASQUERADE",
            Target.Masquerade.plain(),
            new Match.OutInterface("rs", false)));
  }

  /** Real: the server printed 10.2.0.1:5000; the client got the answer. */
  @Test
  void theServerSeesTheMasqueradedSourceAndTheAnswerGetsBack() {
    dnatAndMasquerade();
    var r = w.prober().probe(w.request(Protocol.TCP, "host/c", "10.1.0.1:8080").sport(5000));
    assertThat(r.all(Fate.DELIVERED)).isTrue();
    assertThat(r.answered()).isTrue();
    var d = r.last().delivery().orElseThrow();
    assertThat(d.where()).isEqualTo("host/s");
    assertThat(d.peerAddress()).hasToString("10.2.0.1");
    assertThat(d.local()).isEqualTo("10.2.0.2:80");
  }

  /** Real: the second client's port 5000 clashed and the server saw 10.2.0.1:32874. */
  @Test
  void aSecondClientWithTheSameSourcePortIsGivenAnotherPort() {
    dnatAndMasquerade();
    var req = w.request(Protocol.TCP, "host/c", "10.1.0.1:8080").sport(5000);
    w.prober().probe(req.src(ip("10.1.0.2")));
    var second = w.prober().probe(req.src(ip("10.1.0.3")));
    assertThat(second.all(Fate.DELIVERED)).isTrue();
    assertThat(second.answered()).isTrue();
    assertThat(second.last().delivery().orElseThrow().seenFrom()).isNotEqualTo("10.2.0.1:5000");
    assertThat(nf("host/r").conntrack().list()).hasSize(2);
  }

  /** A random split explored: exactly one half each; sampled: about half. */
  @Test
  void aStatisticSplitIsExactlyHalfWhenExploredAndAboutHalfWhenSampled() {
    append(
        "host/r",
        TableName.NAT,
        "PREROUTING",
        rule(
            "-A PREROUTING -d 10.1.0.1/32 -p tcp -m tcp --dport 8080 -m statistic --mode random --probability 0.50000000000 -j DNAT --to-destination 10.2.0.2:80",
            Target.Dnat.to(ip("10.2.0.2"), 80),
            dst("10.1.0.1"),
            proto(Protocol.TCP),
            dport(8080),
            Match.Statistic.random(0.5)));
    append(
        "host/r",
        TableName.NAT,
        "PREROUTING",
        rule(
            "-A PREROUTING -d 10.1.0.1/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.3.0.2:80",
            Target.Dnat.to(ip("10.3.0.2"), 80),
            dst("10.1.0.1"),
            proto(Protocol.TCP),
            dport(8080)));
    var explored = w.prober().probe(w.request(Protocol.TCP, "host/c", "10.1.0.1:8080").exploring());
    assertThat(explored.shares()).containsOnlyKeys("host/s", "host/s2");
    assertThat(explored.shares().get("host/s")).isCloseTo(0.5, within(1e-12));
    assertThat(nf("host/r").conntrack().list()).as("exploration leaves no state behind").isEmpty();
    var sampled = w.prober().probe(w.request(Protocol.TCP, "host/c", "10.1.0.1:8080").count(200));
    assertThat(sampled.shares().get("host/s")).isCloseTo(0.5, within(0.1));
  }

  /** The binding of an open connection survives a rule change; new connections follow the rules. */
  @Test
  void anOpenConnectionKeepsItsBackendAfterTheRulesChange() {
    dnatAndMasquerade();
    var conn = w.prober().connect(w.request(Protocol.TCP, "host/c", "10.1.0.1:8080"));
    assertThat(conn.first().delivery().orElseThrow().where()).isEqualTo("host/s");
    Table nat = nf("host/r").table(IpFamily.IPV4, TableName.NAT);
    nf("host/r")
        .commit(
            nat.withChain(
                nat.requireChain("PREROUTING")
                    .replace(
                        1,
                        rule(
                            "-A PREROUTING -d 10.1.0.1/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.3.0.2:80",
                            Target.Dnat.to(ip("10.3.0.2"), 80),
                            dst("10.1.0.1"),
                            proto(Protocol.TCP),
                            dport(8080)))));
    assertThat(conn.next().delivery().orElseThrow().where()).isEqualTo("host/s");
    var fresh = w.tcp("host/c", "10.1.0.1:8080");
    assertThat(fresh.last().delivery().orElseThrow().where()).isEqualTo("host/s2");
  }

  @Test
  void filterDropRejectAndLog() {
    append(
        "host/r",
        TableName.FILTER,
        "FORWARD",
        rule(
            "-A FORWARD -d 10.2.0.2/32 -p tcp -j LOG --log-prefix \"to-s: \"",
            Target.Log.withPrefix("to-s: "),
            dst("10.2.0.2"),
            proto(Protocol.TCP)));
    var logged = w.tcp("host/c", "10.2.0.2:80");
    assertThat(logged.all(Fate.DELIVERED)).isTrue();
    assertThat(logged.last().logs()).hasSize(1);
    assertThat(logged.last().logs().get(0))
        .matches(
            "to-s: IN=rc OUT=rs MAC=(\\p{XDigit}{2}:){13}\\p{XDigit}{2} SRC=10.1.0.2 DST=10.2.0.2"
                + " LEN=60 .*")
        .contains("PROTO=TCP")
        .contains("DPT=80")
        .contains(" SYN ");

    append(
        "host/r",
        TableName.FILTER,
        "FORWARD",
        rule(
            "-A FORWARD -d 10.2.0.2/32 -p tcp -j REJECT --reject-with tcp-reset",
            new Target.Reject(RejectWith.TCP_RESET),
            dst("10.2.0.2"),
            proto(Protocol.TCP)));
    assertThat(w.tcp("host/c", "10.2.0.2:80").all(Fate.REJECTED)).isTrue();

    append(
        "host/r",
        TableName.FILTER,
        "FORWARD",
        rule("-A FORWARD -d 10.3.0.2/32 -j DROP", new Target.Drop(), dst("10.3.0.2")));
    var dropped = w.tcp("host/c", "10.3.0.2:80");
    assertThat(dropped.all(Fate.DROPPED)).isTrue();
    assertThat(dropped.last().chains()).contains("filter/FORWARD");
  }
}
