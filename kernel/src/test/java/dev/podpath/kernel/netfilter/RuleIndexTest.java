package dev.podpath.kernel.netfilter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Match.StatisticMode;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which rules of a long chain a packet is tried against. */
class RuleIndexTest {

  private static final IpAddress CLIENT = IpAddress.parse("10.244.0.5");

  private static Rule rule(Match... matches) {
    return new Rule(List.of(matches), new Target.Accept(), "", Counters.ZERO);
  }

  private static Match.Tcp dport(int port) {
    return new Match.Tcp(
        Optional.empty(), Optional.of(Negatable.of(PortRange.of(port))), Optional.empty());
  }

  private static IpAddress vip(int i) {
    return IpAddress.parse("10.96.0.10").plus(i);
  }

  /** The rules {@code p} is tried against, in order, from the start of the chain. */
  private static List<Integer> tried(RuleIndex index, int length, Packet p) {
    var out = new ArrayList<Integer>();
    for (int i = index.next(0, p); i < length; i = index.next(i + 1, p)) {
      out.add(i);
    }
    return out;
  }

  /**
   * KUBE-SERVICES: one {@code -d VIP/32 -p tcp -m tcp --dport 80} rule per service (two ports for
   * service 7), then the NodePort jump every packet is tried against.
   */
  @Test
  void aServiceChainTriesOnlyTheRulesOfThePacketsAddressAndPortThenTheCatchAll() {
    var rules = new ArrayList<Rule>();
    for (int i = 0; i < 1000; i++) {
      var d = new Match.Destination(IpPrefix.host(vip(i)), false);
      rules.add(rule(d, new Match.Proto(Protocol.TCP, false), new Match.Comment("svc"), dport(80)));
      if (i == 7) {
        rules.add(rule(d, new Match.Proto(Protocol.TCP, false), dport(443)));
      }
    }
    rules.add(rule(new Match.AddrType(Optional.empty(), Optional.empty(), false, false)));
    RuleIndex index = RuleIndex.of(rules, RuleIndex.INDEX_FROM).orElseThrow();

    assertThat(index.keyed()).isEqualTo(1001);
    assertThat(tried(index, rules.size(), Packet.tcpSyn(CLIENT, 1000, vip(500), 80)))
        .containsExactly(501, 1001);
    assertThat(tried(index, rules.size(), Packet.tcpSyn(CLIENT, 1000, vip(7), 443)))
        .containsExactly(8, 1001);
    assertThat(tried(index, rules.size(), Packet.udp(CLIENT, 1000, vip(7), 80)))
        .containsExactly(1001);
    assertThat(tried(index, rules.size(), Packet.echoRequest(CLIENT, vip(7), 1)))
        .containsExactly(1001);
  }

  /** KUBE-NODEPORTS: one {@code -p tcp -m tcp --dport NODEPORT} rule per service, no address. */
  @Test
  void aNodePortChainIsIndexedByPortAlone() {
    var rules = new ArrayList<Rule>();
    for (int i = 0; i < 100; i++) {
      rules.add(rule(new Match.Proto(Protocol.TCP, false), dport(30000 + i)));
    }
    RuleIndex index = RuleIndex.of(rules, RuleIndex.INDEX_FROM).orElseThrow();

    assertThat(tried(index, 100, Packet.tcpSyn(CLIENT, 1000, vip(1), 30042))).containsExactly(42);
    assertThat(tried(index, 100, Packet.tcpSyn(CLIENT, 1000, vip(1), 29999))).isEmpty();
  }

  @Test
  void aPortAfterAMatchWithASideEffectIsNotAKeyButAPortBeforeItIs() {
    var nth = new Match.Statistic(StatisticMode.NTH, 0, 2, 0, false);
    var rules = new ArrayList<Rule>();
    for (int i = 0; i < 40; i++) {
      rules.add(
          i % 2 == 0
              ? rule(new Match.Proto(Protocol.TCP, false), nth, dport(i))
              : rule(new Match.Proto(Protocol.TCP, false), dport(i), nth));
    }
    RuleIndex index = RuleIndex.of(rules, RuleIndex.INDEX_FROM).orElseThrow();

    assertThat(index.keyed()).isEqualTo(20);
    // every even rule counts its nth try for every packet, as in the kernel
    assertThat(tried(index, 40, Packet.tcpSyn(CLIENT, 1000, vip(1), 3)))
        .containsExactly(
            0, 2, 3, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38);
  }

  @Test
  void notAnExactAddressOrPortIsNotAKey() {
    var rules = new ArrayList<Rule>();
    for (int i = 0; i < 40; i++) {
      rules.add(
          switch (i % 4) {
            case 0 -> rule(new Match.Destination(IpPrefix.host(vip(i)), true));
            case 1 -> rule(new Match.Destination(IpPrefix.of(vip(i), 24), false));
            case 2 ->
                rule(
                    new Match.Proto(Protocol.TCP, false),
                    new Match.Tcp(
                        Optional.empty(),
                        Optional.of(Negatable.not(PortRange.of(80))),
                        Optional.empty()));
            default ->
                rule(
                    new Match.Proto(Protocol.TCP, false),
                    new Match.Tcp(
                        Optional.empty(),
                        Optional.of(Negatable.of(new PortRange(80, 81))),
                        Optional.empty()));
          });
    }
    assertThat(RuleIndex.of(rules, RuleIndex.INDEX_FROM).orElseThrow().keyed()).isZero();
    assertThat(RuleIndex.of(rules.subList(0, 31), RuleIndex.INDEX_FROM)).isEmpty();
  }
}
