package dev.podpath.kernel.netfilter;

import static dev.podpath.kernel.netfilter.Pk.proto;
import static dev.podpath.kernel.netfilter.Pk.udp;
import static dev.podpath.kernel.netfilter.Pk.udpDport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Policy;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Step;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Jumps, gotos, RETURN, policies and counters, as checked on Linux 6.18 with one UDP packet (29
 * bytes) each to ports 9, 10 and 11 from the namespace itself and {@code iptables -L -v -x}:
 *
 * <pre>
 * -A OUTPUT -p udp -m udp --dport 9 -j A       1 29
 * -A OUTPUT -p udp -m udp --dport 9            1 29   (back after A's goto to G)
 * -A OUTPUT -p udp -m udp --dport 10 -g G2     1 29
 * -A OUTPUT -p udp -m udp --dport 10           0 0    (G2 ended: the policy decided)
 * -A OUTPUT -p udp -m udp --dport 11 -j B      1 29
 * -A OUTPUT -p udp -m udp --dport 11           1 29
 * -A A -g G                                    1 29
 * -A A                                         0 0
 * -A B -j RETURN                               1 29
 * -A B                                         0 0
 * -A G -p udp                                  1 29
 * Chain OUTPUT (policy ACCEPT 3 packets, 87 bytes)
 * </pre>
 */
class ChainWalkTest {

  private final Harness h = new Harness().address("eth0", "10.2.0.1/24");

  private void rules() {
    Table t =
        Table.empty(IpFamily.IPV4, TableName.FILTER)
            .withChain(Chain.user("A"))
            .withChain(Chain.user("B"))
            .withChain(Chain.user("G"))
            .withChain(Chain.user("G2"));
    h.nf.commit(t);
    h.append(
        TableName.FILTER,
        "OUTPUT",
        "-A OUTPUT -p udp -m udp --dport 9 -j A",
        new Target.Jump("A"),
        proto(Protocol.UDP),
        udpDport(9));
    h.append(
        TableName.FILTER,
        "OUTPUT",
        "-A OUTPUT -p udp -m udp --dport 9",
        new Target.None(),
        proto(Protocol.UDP),
        udpDport(9));
    h.append(
        TableName.FILTER,
        "OUTPUT",
        "-A OUTPUT -p udp -m udp --dport 10 -g G2",
        new Target.Goto("G2"),
        proto(Protocol.UDP),
        udpDport(10));
    h.append(
        TableName.FILTER,
        "OUTPUT",
        "-A OUTPUT -p udp -m udp --dport 10",
        new Target.None(),
        proto(Protocol.UDP),
        udpDport(10));
    h.append(
        TableName.FILTER,
        "OUTPUT",
        "-A OUTPUT -p udp -m udp --dport 11 -j B",
        new Target.Jump("B"),
        proto(Protocol.UDP),
        udpDport(11));
    h.append(
        TableName.FILTER,
        "OUTPUT",
        "-A OUTPUT -p udp -m udp --dport 11",
        new Target.None(),
        proto(Protocol.UDP),
        udpDport(11));
    h.append(TableName.FILTER, "A", "-A A -g G", new Target.Goto("G"));
    h.append(TableName.FILTER, "A", "-A A", new Target.None());
    h.append(TableName.FILTER, "B", "-A B -j RETURN", new Target.Return());
    h.append(TableName.FILTER, "B", "-A B", new Target.None());
    h.append(TableName.FILTER, "G", "-A G -p udp", new Target.None(), proto(Protocol.UDP));
  }

  @Test
  void countersAfterOnePacketToEachPortAreTheKernels() {
    rules();
    for (int port : new int[] {9, 10, 11}) {
      h.localOut(
          udp("10.2.0.1", 40000 + port, "10.2.0.2", port).toBuilder().length(29).build(), "eth0");
    }
    Table t = h.nf.table(IpFamily.IPV4, TableName.FILTER);
    Map<String, List<Long>> packets =
        t.chains().stream()
            .collect(
                Collectors.toMap(
                    Chain::name,
                    c -> c.rules().stream().map(r -> r.counters().packets()).toList()));
    assertThat(packets)
        .containsEntry("OUTPUT", List.of(1L, 1L, 1L, 0L, 1L, 1L))
        .containsEntry("A", List.of(1L, 0L))
        .containsEntry("B", List.of(1L, 0L))
        .containsEntry("G", List.of(1L))
        .containsEntry("G2", List.of());
    assertThat(t.requireChain("OUTPUT").counters().packets()).isEqualTo(3);
    assertThat(t.requireChain("OUTPUT").counters().bytes()).isEqualTo(87);
    assertThat(t.requireChain("OUTPUT").rules().get(0).counters().bytes()).isEqualTo(29);
  }

  @Test
  void theTraceShowsEveryRuleThatFiredWithItsVerdict() {
    rules();
    var r = h.localOut(udp("10.2.0.1", 40009, "10.2.0.2", 9), "eth0");
    assertThat(r.rules())
        .extracting(s -> s.chain() + " " + s.number() + " " + s.verdict())
        .containsExactly(
            "OUTPUT 1 jump A",
            "A 1 goto G",
            "G 1 continue",
            "OUTPUT 2 continue",
            "OUTPUT 0 ACCEPT");
    assertThat(r.rules().get(0).ruleText()).isEqualTo("-A OUTPUT -p udp -m udp --dport 9 -j A");
    assertThat(r.rules().get(4).ruleText()).isEqualTo("-P OUTPUT ACCEPT");
    assertThat(r.rules()).allMatch(s -> s.table().equals("filter"));
  }

  @Test
  void aDropPolicyDropsWhatFallsOffTheChain() {
    h.policy(TableName.FILTER, "INPUT", Policy.DROP);
    h.append(
        TableName.FILTER,
        "INPUT",
        "-A INPUT -p udp -m udp --dport 53 -j ACCEPT",
        new Target.Accept(),
        proto(Protocol.UDP),
        udpDport(53));
    assertThat(h.localIn(udp("10.2.0.9", 1000, "10.2.0.1", 53), "eth0").accepted()).isTrue();
    var dropped = h.localIn(udp("10.2.0.9", 1000, "10.2.0.1", 54), "eth0");
    assertThat(dropped.accepted()).isFalse();
    assertThat(dropped.rules()).extracting(Step.Rule::ruleText).containsExactly("-P INPUT DROP");
    assertThat(
            h.nf.table(IpFamily.IPV4, TableName.FILTER).requireChain("INPUT").counters().packets())
        .isEqualTo(1);
  }

  @Test
  void zeroingCountersOfOneChainLeavesTheOthers() {
    rules();
    h.localOut(udp("10.2.0.1", 40009, "10.2.0.2", 9), "eth0");
    h.nf.zeroCounters(IpFamily.IPV4, TableName.FILTER, java.util.Optional.of("A"));
    Table t = h.nf.table(IpFamily.IPV4, TableName.FILTER);
    Function<String, Long> first = c -> t.requireChain(c).rules().get(0).counters().packets();
    assertThat(first.apply("A")).isZero();
    assertThat(first.apply("G")).isEqualTo(1);
  }
}
