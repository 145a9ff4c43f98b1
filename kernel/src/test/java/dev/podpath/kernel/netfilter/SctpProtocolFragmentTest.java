package dev.podpath.kernel.netfilter;

import static dev.podpath.kernel.netfilter.Pk.ip;
import static dev.podpath.kernel.netfilter.Pk.syn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.RulesetException;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.HookTable;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.SctpChunk;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sctp match (ports and xt_sctp's chunk-type semantics), {@code -p} by any protocol number,
 * {@code -f}, and what the validator accepts as iptables-nft 1.8.9 does.
 */
class SctpProtocolFragmentTest {

  private static final Match.Proto SCTP = new Match.Proto(Protocol.SCTP, false);

  private static Packet sctp(int sport, int dport, SctpChunk... chunks) {
    return Packet.builder()
        .src(ip("10.1.0.2"))
        .dst(ip("10.2.0.2"))
        .protocol(Protocol.SCTP)
        .srcPort(sport)
        .dstPort(dport)
        .sctpChunks(List.of(chunks))
        .build();
  }

  private static Match.Sctp chunks(
      Match.ChunkMatch mode, boolean inverted, Set<Integer> types, Match.ChunkFlags... flags) {
    return new Match.Sctp(
        Optional.empty(),
        Optional.empty(),
        Optional.of(new Negatable<>(new Match.SctpChunks(mode, types, List.of(flags)), inverted)));
  }

  static Stream<Arguments> cases() {
    Packet init = sctp(5000, 80, SctpChunk.of(SctpChunk.INIT));
    Packet data = sctp(5000, 80, new SctpChunk(0, 0x03)); // DATA with B and E set
    Packet bundle = sctp(5000, 80, SctpChunk.of(10), new SctpChunk(0, 0x02)); // COOKIE_ECHO, DATA
    Packet noChunks = sctp(5000, 80);
    Match.Sctp dport80 =
        new Match.Sctp(
            Optional.empty(), Optional.of(Negatable.of(PortRange.of(80))), Optional.empty());
    Match.Sctp notSport1to9 =
        new Match.Sctp(
            Optional.of(Negatable.not(new PortRange(1, 9))), Optional.empty(), Optional.empty());
    Match.ChunkFlags dataBe = new Match.ChunkFlags(0, 0x03, 0x02); // DATA:Be
    return Stream.of(
        Arguments.of("-p sctp --dport 80", List.of(SCTP, dport80), init, true),
        Arguments.of("-p sctp --dport 80 on tcp", List.of(SCTP, dport80), syn80(), false),
        Arguments.of("! --sport 1:9", List.of(SCTP, notSport1to9), init, true),
        Arguments.of(
            "any INIT", List.of(SCTP, chunks(Match.ChunkMatch.ANY, false, Set.of(1))), init, true),
        Arguments.of(
            "any INIT on DATA",
            List.of(SCTP, chunks(Match.ChunkMatch.ANY, false, Set.of(1))),
            data,
            false),
        Arguments.of(
            "! any INIT on DATA",
            List.of(SCTP, chunks(Match.ChunkMatch.ANY, true, Set.of(1))),
            data,
            true),
        Arguments.of(
            "all DATA,COOKIE_ECHO",
            List.of(SCTP, chunks(Match.ChunkMatch.ALL, false, Set.of(0, 10))),
            bundle,
            true),
        Arguments.of(
            "all DATA,INIT",
            List.of(SCTP, chunks(Match.ChunkMatch.ALL, false, Set.of(0, 1))),
            bundle,
            false),
        Arguments.of(
            "only DATA",
            List.of(SCTP, chunks(Match.ChunkMatch.ONLY, false, Set.of(0))),
            data,
            true),
        Arguments.of(
            "only DATA on a bundle",
            List.of(SCTP, chunks(Match.ChunkMatch.ONLY, false, Set.of(0))),
            bundle,
            false),
        Arguments.of(
            "only NONE without chunks",
            List.of(SCTP, chunks(Match.ChunkMatch.ONLY, false, Set.of())),
            noChunks,
            true),
        Arguments.of(
            "any DATA:Be (B set, E clear) on B+E",
            List.of(SCTP, chunks(Match.ChunkMatch.ANY, false, Set.of(0), dataBe)),
            data,
            false),
        Arguments.of(
            "any DATA:Be on B",
            List.of(SCTP, chunks(Match.ChunkMatch.ANY, false, Set.of(0), dataBe)),
            bundle,
            true),
        Arguments.of("-p gre on tcp", List.of(new Match.Proto(47, false)), syn80(), false),
        Arguments.of("! -p gre on tcp", List.of(new Match.Proto(47, true)), syn80(), true),
        Arguments.of("-p 6 on tcp", List.of(new Match.Proto(6, false)), syn80(), true),
        Arguments.of("-f", List.of(new Match.Fragment(false)), syn80(), false),
        Arguments.of("! -f", List.of(new Match.Fragment(true)), syn80(), true));
  }

  private static Packet syn80() {
    return syn("10.1.0.2", 40000, "10.2.0.2", 80);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aMatchHoldsExactlyWhenTheKernelsWould(
      String name, List<Match> matches, Packet p, boolean passes) {
    assertThat(MatchTest.forwards(name, matches, p)).as(name).isEqualTo(passes);
  }

  private final Netfilter nf = new Netfilter(new FakeNamespace(), new HookTable());

  private void commit(TableName table, String chain, Target target, Match... matches) {
    Table t = Table.empty(IpFamily.IPV4, table);
    Chain c = t.requireChain(chain);
    nf.commit(
        t.withChain(c.append(new Rule(List.of(matches), target, "-A " + chain, Counters.ZERO))));
  }

  @Test
  void traceIsAcceptedInEveryTableAsNfTablesDoes() {
    for (TableName t : List.of(TableName.FILTER, TableName.MANGLE, TableName.NAT, TableName.RAW)) {
      String chain = t == TableName.FILTER ? "INPUT" : "PREROUTING";
      commit(t, chain, new Target.Trace());
    }
  }

  @Test
  void natPortsGoWithTcpUdpSctpDccpAndIcmpInvertedOrNot() {
    Target dnat = Target.Dnat.to(Ipv4Address.parse("1.2.3.4"), 80);
    commit(TableName.NAT, "PREROUTING", dnat, new Match.Proto(Protocol.ICMP, false));
    commit(TableName.NAT, "PREROUTING", dnat, new Match.Proto(Protocol.TCP, true));
    commit(TableName.NAT, "PREROUTING", dnat, new Match.Proto(33, false));
    assertThatThrownBy(() -> commit(TableName.NAT, "PREROUTING", dnat, new Match.Proto(47, false)))
        .isInstanceOf(RulesetException.class)
        .hasMessageContaining("Need TCP, UDP, SCTP or DCCP");
    assertThatThrownBy(() -> commit(TableName.NAT, "PREROUTING", dnat))
        .isInstanceOf(RulesetException.class);
  }

  @Test
  void tcpAndUdpTakeAnInvertedProtocolButSctpAndIcmpDoNot() {
    Match.Tcp tcp =
        new Match.Tcp(
            Optional.empty(), Optional.of(Negatable.of(PortRange.of(22))), Optional.empty());
    commit(
        TableName.FILTER, "INPUT", new Target.Accept(), new Match.Proto(Protocol.TCP, true), tcp);
    Match.Sctp sctp =
        new Match.Sctp(
            Optional.empty(), Optional.of(Negatable.of(PortRange.of(22))), Optional.empty());
    assertThatThrownBy(
            () ->
                commit(
                    TableName.FILTER,
                    "INPUT",
                    new Target.Accept(),
                    new Match.Proto(Protocol.SCTP, true),
                    sctp))
        .isInstanceOf(RulesetException.class)
        .hasMessageContaining("sctp match");
    assertThatThrownBy(() -> commit(TableName.FILTER, "INPUT", new Target.Accept(), sctp))
        .isInstanceOf(RulesetException.class);
    commit(TableName.FILTER, "INPUT", new Target.Accept(), SCTP, sctp);
  }
}
