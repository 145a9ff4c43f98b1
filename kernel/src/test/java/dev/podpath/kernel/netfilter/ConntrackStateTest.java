package dev.podpath.kernel.netfilter;

import static dev.podpath.kernel.netfilter.Pk.ip;
import static dev.podpath.kernel.netfilter.Pk.replyTo;
import static dev.podpath.kernel.netfilter.Pk.syn;
import static dev.podpath.kernel.netfilter.Pk.tcp;
import static dev.podpath.kernel.netfilter.Pk.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.conntrack.ConnStatus;
import dev.podpath.kernel.conntrack.ConntrackRecord;
import dev.podpath.kernel.conntrack.TcpState;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.CtState;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.TcpFlag;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conntrack states, as checked on Linux 6.18 in the router namespace (netfilter-r) with {@code -A
 * FORWARD -m conntrack --ctstate S} counting rules and raw TCP segments from the client
 * (nf_conntrack_tcp_loose=1): a lone ACK is NEW (picked up mid-stream) and the server's RST answer
 * ESTABLISHED, after which no entry is left; a lone SYN-ACK, RST, FIN or FIN-ACK is INVALID. A
 * refused TCP connection leaves no entry; an ICMP port unreachable about a DNATed UDP flow is
 * RELATED and leaves the entry UNREPLIED.
 */
class ConntrackStateTest {

  private final Harness h = NatTest.router();

  static Stream<Arguments> loneSegments() {
    return Stream.of(
        Arguments.of(Set.of(TcpFlag.SYN), CtState.NEW),
        Arguments.of(Set.of(TcpFlag.ACK), CtState.NEW),
        Arguments.of(Set.of(TcpFlag.SYN, TcpFlag.ACK), CtState.INVALID),
        Arguments.of(Set.of(TcpFlag.RST), CtState.INVALID),
        Arguments.of(Set.of(TcpFlag.FIN), CtState.INVALID),
        Arguments.of(Set.of(TcpFlag.FIN, TcpFlag.ACK), CtState.INVALID));
  }

  @ParameterizedTest
  @MethodSource("loneSegments")
  void aTcpSegmentWithoutAConnectionIs(Set<TcpFlag> flags, CtState expected) {
    Packet p = tcp("10.1.0.2", 6000, "10.2.0.2", 7000).toBuilder().tcpFlags(flags).build();
    assertThat(h.forward(p, "rc", "rs").ctx().ctState()).isEqualTo(expected);
  }

  @Test
  void aRefusedConnectionLeavesNoEntry() {
    var out = h.forward(syn("10.1.0.2", 6001, "10.2.0.2", 81), "rc", "rs");
    var rst = replyTo(out.packet()).toBuilder().tcpFlags(Set.of(TcpFlag.RST, TcpFlag.ACK)).build();
    var back = h.forward(rst, "rs", "rc");
    assertThat(back.ctx().ctState()).isEqualTo(CtState.ESTABLISHED);
    assertThat(h.nf.conntrack().list()).isEmpty();
  }

  @Test
  void theThreeWayHandshakeMakesAnAssuredEstablishedEntry() {
    var out = h.forward(syn("10.1.0.2", 6002, "10.2.0.2", 80), "rc", "rs");
    h.forward(replyTo(out.packet()), "rs", "rc");
    var ack = h.forward(tcp("10.1.0.2", 6002, "10.2.0.2", 80, TcpFlag.ACK), "rc", "rs");
    assertThat(ack.ctx().ctState()).isEqualTo(CtState.ESTABLISHED);
    ConntrackRecord r = h.nf.conntrack().list().get(0);
    assertThat(r.tcpState()).contains(TcpState.ESTABLISHED);
    assertThat(r.status()).contains(ConnStatus.ASSURED, ConnStatus.SEEN_REPLY);
    assertThat(r.timeout()).isEqualTo(432000);
    assertThat(r.toString())
        .startsWith(
            "tcp      6 432000 ESTABLISHED src=10.1.0.2 dst=10.2.0.2 sport=6002 dport=80 "
                + "src=10.2.0.2 dst=10.2.0.1 sport=80 dport=6002 [ASSURED] mark=0 use=1");
  }

  @Test
  void anIcmpErrorAboutADnatedFlowIsRelatedAndTranslatedBack() {
    var out = h.forward(udp("10.1.0.2", 6100, "10.1.0.1", 5353), "rc", "rs");
    assertThat(out.packet()).isEqualTo(udp("10.2.0.1", 6100, "10.2.0.2", 53));
    Packet unreachable =
        Packet.builder()
            .src(ip("10.2.0.2"))
            .dst(ip("10.2.0.1"))
            .protocol(Protocol.ICMP)
            .icmpType(3)
            .icmpCode(3)
            .inner(out.packet())
            .build();
    var back = h.forward(unreachable, "rs", "rc");
    assertThat(back.ctx().ctState()).isEqualTo(CtState.RELATED);
    assertThat(back.packet().src()).isEqualTo(ip("10.1.0.1"));
    assertThat(back.packet().dst()).isEqualTo(ip("10.1.0.2"));
    assertThat(back.packet().inner().orElseThrow())
        .isEqualTo(udp("10.1.0.2", 6100, "10.1.0.1", 5353));
    // real: udp 17 29 src=10.1.0.2 dst=10.1.0.1 sport=6100 dport=5354 [UNREPLIED] src=10.2.0.2 ...
    assertThat(h.nf.conntrack().list().get(0).toString()).contains("[UNREPLIED]");
  }

  @Test
  void anIcmpErrorAboutNoConnectionIsInvalid() {
    Packet unreachable =
        Packet.builder()
            .src(ip("10.2.0.2"))
            .dst(ip("10.1.0.2"))
            .protocol(Protocol.ICMP)
            .icmpType(3)
            .icmpCode(3)
            .inner(udp("10.1.0.2", 1, "10.2.0.2", 2))
            .build();
    assertThat(h.forward(unreachable, "rs", "rc").ctx().ctState()).isEqualTo(CtState.INVALID);
  }

  @Test
  void notrackInRawMakesThePacketUntrackedAndTheNatTableIsNotAsked() {
    h.append(
        TableName.RAW,
        "PREROUTING",
        "-A PREROUTING -p tcp -j NOTRACK",
        new Target.NoTrack(),
        Pk.proto(Protocol.TCP));
    var r = h.forward(syn("10.1.0.2", 6003, "10.1.0.1", 8080), "rc", "rs");
    assertThat(r.ctx().ctState()).isEqualTo(CtState.UNTRACKED);
    assertThat(r.packet().dst()).isEqualTo(ip("10.1.0.1"));
    assertThat(h.nf.conntrack().list()).isEmpty();
  }

  @Test
  void ctstateAndStateMatchesSeeTheState() {
    h.append(
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        new Target.Accept(),
        Match.Conntrack.ofStates(Set.of(CtState.RELATED, CtState.ESTABLISHED)));
    h.append(
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD -m conntrack --ctstate DNAT -j ACCEPT",
        new Target.Accept(),
        Match.Conntrack.ofStates(Set.of(CtState.DNAT)));
    h.append(
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD -m state ! --state NEW -j DROP",
        new Target.Drop(),
        new Match.State(Set.of(CtState.NEW), true));
    var first = h.forward(syn("10.1.0.2", 6004, "10.1.0.1", 8080), "rc", "rs");
    assertThat(first.rules("filter")).extracting(Step -> Step.number()).containsExactly(2);
    var back = h.forward(replyTo(first.packet()), "rs", "rc");
    assertThat(back.rules("filter")).extracting(Step -> Step.number()).containsExactly(1);
    var invalid = h.forward(tcp("10.1.0.2", 6005, "10.2.0.2", 80, TcpFlag.RST), "rc", "rs");
    assertThat(invalid.rules("filter")).extracting(Step -> Step.number()).containsExactly(3);
  }

  @Test
  void conntrackMatchesTheOriginalDestinationOfADnatedConnection() {
    h.append(
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD -m conntrack --ctorigdst 10.1.0.1 --ctorigdstport 8080 --ctdir ORIGINAL -j ACCEPT",
        new Target.Accept(),
        Match.Conntrack.builder()
            .originalDestination(Negatable.of(Pk.prefix("10.1.0.1")))
            .originalDestinationPort(
                Negatable.of(dev.podpath.kernel.netfilter.rule.PortRange.of(8080)))
            .direction(Match.CtDirection.ORIGINAL)
            .build());
    var r = h.forward(syn("10.1.0.2", 6006, "10.1.0.1", 8080), "rc", "rs");
    assertThat(r.rules("filter")).hasSize(1);
    assertThat(h.forward(replyTo(r.packet()), "rs", "rc").rules("filter"))
        .extracting(x -> x.number())
        .as("the reply falls to the policy")
        .containsExactly(0);
  }

  @Test
  void entriesTimeOutOnTheVirtualClock() {
    h.forward(udp("10.1.0.2", 6007, "10.2.0.2", 53), "rc", "rs");
    h.ns.clock.advance(Duration.ofSeconds(29));
    assertThat(h.nf.conntrack().list()).hasSize(1);
    assertThat(h.nf.conntrack().list().get(0).timeout()).isEqualTo(1);
    h.ns.clock.advance(Duration.ofSeconds(1));
    assertThat(h.nf.conntrack().list()).isEmpty();
  }

  @Test
  void aUdpFlowStillActiveAfterTwoSecondsBecomesAnAssuredStream() {
    var out = h.forward(udp("10.1.0.2", 6008, "10.2.0.2", 53), "rc", "rs");
    h.forward(replyTo(out.packet()), "rs", "rc");
    h.ns.clock.advance(Duration.ofSeconds(3));
    h.forward(udp("10.1.0.2", 6008, "10.2.0.2", 53), "rc", "rs");
    ConntrackRecord r = h.nf.conntrack().list().get(0);
    assertThat(r.status()).contains(ConnStatus.ASSURED);
    assertThat(r.timeout()).isEqualTo(120);
  }

  @Test
  void aFullTableEvictsTheOldestUnassuredEntryOrDrops() {
    h.ns.sysctls.put("net.netfilter.nf_conntrack_max", "2");
    h.forward(udp("10.1.0.2", 1, "10.2.0.2", 53), "rc", "rs");
    h.forward(udp("10.1.0.2", 2, "10.2.0.2", 53), "rc", "rs");
    h.forward(udp("10.1.0.2", 3, "10.2.0.2", 53), "rc", "rs");
    assertThat(h.nf.conntrack().list())
        .extracting(r -> r.original().srcPort())
        .containsExactly(2, 3);
    for (int port : new int[] {2, 3}) { // assure both: a reply, then a packet after two seconds
      h.forward(replyTo(udp("10.2.0.1", port, "10.2.0.2", 53)), "rs", "rc");
    }
    h.ns.clock.advance(Duration.ofSeconds(3));
    h.forward(udp("10.1.0.2", 2, "10.2.0.2", 53), "rc", "rs");
    h.forward(udp("10.1.0.2", 3, "10.2.0.2", 53), "rc", "rs");
    var full = h.forward(udp("10.1.0.2", 4, "10.2.0.2", 53), "rc", "rs");
    assertThat(full.accepted()).isFalse();
    assertThat(full.steps()).anyMatch(s -> s.toString().contains("table full"));
    assertThat(Optional.of(h.nf.conntrack().count())).contains(2);
  }

  /**
   * Real: two datagrams from 10.1.0.2:6200 to 10.2.0.2:9 (nothing listening) counted NEW twice and
   * RELATED twice (the port unreachables); the entry stayed [UNREPLIED].
   */
  @Test
  void aDatagramStaysNewUntilAReplyAndIcmpErrorsAreNoReply() {
    int newCount = 0;
    int related = 0;
    for (int i = 0; i < 2; i++) {
      var out = h.forward(udp("10.1.0.2", 6200, "10.2.0.2", 9), "rc", "rs");
      newCount += out.ctx().ctState() == CtState.NEW ? 1 : 0;
      Packet unreachable =
          Packet.builder()
              .src(ip("10.2.0.2"))
              .dst(out.packet().src())
              .protocol(Protocol.ICMP)
              .icmpType(3)
              .icmpCode(3)
              .inner(out.packet())
              .build();
      related += h.forward(unreachable, "rs", "rc").ctx().ctState() == CtState.RELATED ? 1 : 0;
    }
    assertThat(newCount).isEqualTo(2);
    assertThat(related).isEqualTo(2);
    assertThat(h.nf.conntrack().list())
        .singleElement()
        .asString()
        .contains("[UNREPLIED]")
        .contains("src=10.2.0.2 dst=10.2.0.1 sport=9 dport=6200");
  }
}
