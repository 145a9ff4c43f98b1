package dev.podpath.kernel.netfilter;

import static dev.podpath.kernel.netfilter.Pk.ping;
import static dev.podpath.kernel.netfilter.Pk.prefix;
import static dev.podpath.kernel.netfilter.Pk.syn;
import static dev.podpath.kernel.netfilter.Pk.tcp;
import static dev.podpath.kernel.netfilter.Pk.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.Policy;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.AddressType;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.TcpFlag;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each match on a forwarded packet (in rc, out rs): {@code -A FORWARD MATCHES -j ACCEPT} under a
 * DROP policy, so the packet passes exactly when the matches hold.
 */
class MatchTest {

  private static Optional<Negatable<PortRange>> ports(int lo, int hi) {
    return Optional.of(Negatable.of(new PortRange(lo, hi)));
  }

  private static Optional<Negatable<PortRange>> notPorts(int lo, int hi) {
    return Optional.of(Negatable.not(new PortRange(lo, hi)));
  }

  static Stream<Arguments> cases() {
    Packet syn80 = syn("10.1.0.2", 40000, "10.2.0.2", 80);
    Packet ack80 = tcp("10.1.0.2", 40000, "10.2.0.2", 80, TcpFlag.ACK);
    Packet dns = udp("10.1.0.2", 40000, "10.2.0.2", 53);
    Packet echo = ping("10.1.0.2", "10.2.0.2", 1);
    Match.Proto tcp = new Match.Proto(Protocol.TCP, false);
    return Stream.of(
        Arguments.of(
            "-s 10.1.0.0/16", List.of(new Match.Source(prefix("10.1.0.0/16"), false)), syn80, true),
        Arguments.of(
            "! -s 10.1.0.0/16",
            List.of(new Match.Source(prefix("10.1.0.0/16"), true)),
            syn80,
            false),
        Arguments.of(
            "-d 10.2.0.2/32",
            List.of(new Match.Destination(prefix("10.2.0.2/32"), false)),
            syn80,
            true),
        Arguments.of("-p udp", List.of(new Match.Proto(Protocol.UDP, false)), syn80, false),
        Arguments.of("! -p udp", List.of(new Match.Proto(Protocol.UDP, true)), syn80, true),
        Arguments.of("-i rc", List.of(new Match.InInterface("rc", false)), syn80, true),
        Arguments.of("-i r+", List.of(new Match.InInterface("r+", false)), syn80, true),
        Arguments.of("-i eth+", List.of(new Match.InInterface("eth+", false)), syn80, false),
        Arguments.of("! -o rs", List.of(new Match.OutInterface("rs", true)), syn80, false),
        Arguments.of(
            "--dport 1:1024",
            List.of(tcp, new Match.Tcp(Optional.empty(), ports(1, 1024), Optional.empty())),
            syn80,
            true),
        Arguments.of(
            "! --dport 80",
            List.of(tcp, new Match.Tcp(Optional.empty(), notPorts(80, 80), Optional.empty())),
            syn80,
            false),
        Arguments.of(
            "--sport 40000:40010",
            List.of(tcp, new Match.Tcp(ports(40000, 40010), Optional.empty(), Optional.empty())),
            syn80,
            true),
        Arguments.of(
            "--syn on a SYN",
            List.of(
                tcp,
                new Match.Tcp(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(Negatable.of(Match.TcpFlags.SYN)))),
            syn80,
            true),
        Arguments.of(
            "--syn on an ACK",
            List.of(
                tcp,
                new Match.Tcp(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(Negatable.of(Match.TcpFlags.SYN)))),
            ack80,
            false),
        Arguments.of(
            "! --syn on an ACK",
            List.of(
                tcp,
                new Match.Tcp(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(Negatable.not(Match.TcpFlags.SYN)))),
            ack80,
            true),
        Arguments.of(
            "--tcp-flags SYN,ACK ACK",
            List.of(
                tcp,
                new Match.Tcp(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(
                        Negatable.of(
                            new Match.TcpFlags(
                                Set.of(TcpFlag.SYN, TcpFlag.ACK), Set.of(TcpFlag.ACK)))))),
            ack80,
            true),
        Arguments.of(
            "udp --dport 53",
            List.of(
                new Match.Proto(Protocol.UDP, false),
                new Match.Udp(Optional.empty(), ports(53, 53))),
            dns,
            true),
        Arguments.of(
            "tcp match on udp",
            List.of(tcp, new Match.Tcp(Optional.empty(), ports(53, 53), Optional.empty())),
            dns,
            false),
        Arguments.of(
            "--icmp-type echo-request",
            List.of(
                new Match.Proto(Protocol.ICMP, false),
                new Match.Icmp(Optional.of(Negatable.of(Match.IcmpType.of(8))))),
            echo,
            true),
        Arguments.of(
            "--icmp-type 0",
            List.of(
                new Match.Proto(Protocol.ICMP, false),
                new Match.Icmp(Optional.of(Negatable.of(Match.IcmpType.of(0))))),
            echo,
            false),
        Arguments.of(
            "--icmp-type any",
            List.of(
                new Match.Proto(Protocol.ICMP, false),
                new Match.Icmp(Optional.of(Negatable.of(Match.IcmpType.ANY)))),
            echo,
            true),
        Arguments.of(
            "multiport --dports 22,80:90",
            List.of(
                tcp,
                new Match.Multiport(
                    Match.MultiportDirection.DESTINATION,
                    List.of(PortRange.of(22), new PortRange(80, 90)),
                    false)),
            syn80,
            true),
        Arguments.of(
            "! multiport --dports 22,443",
            List.of(
                tcp,
                new Match.Multiport(
                    Match.MultiportDirection.DESTINATION,
                    List.of(PortRange.of(22), PortRange.of(443)),
                    true)),
            syn80,
            true),
        Arguments.of(
            "multiport --ports 40000",
            List.of(
                tcp,
                new Match.Multiport(
                    Match.MultiportDirection.EITHER, List.of(PortRange.of(40000)), false)),
            syn80,
            true),
        Arguments.of(
            "comment",
            List.of(new Match.Comment("kube-system/kube-dns:dns cluster IP")),
            syn80,
            true),
        Arguments.of("--mark 0x0/0x4000", List.of(new Match.Mark(0, 0x4000, false)), syn80, true),
        Arguments.of(
            "--mark 0x4000/0x4000", List.of(new Match.Mark(0x4000, 0x4000, false)), syn80, false),
        Arguments.of(
            "connmark --mark 0", List.of(new Match.ConnMark(0, 0xffffffff, false)), syn80, true),
        Arguments.of(
            "addrtype --dst-type LOCAL",
            List.of(
                new Match.AddrType(
                    Optional.empty(),
                    Optional.of(Negatable.of(Set.of(AddressType.LOCAL))),
                    false,
                    false)),
            syn80,
            false),
        Arguments.of(
            "addrtype --dst-type UNICAST",
            List.of(
                new Match.AddrType(
                    Optional.empty(),
                    Optional.of(Negatable.of(Set.of(AddressType.UNICAST))),
                    false,
                    false)),
            syn80,
            true),
        Arguments.of(
            "addrtype ! --src-type LOCAL",
            List.of(
                new Match.AddrType(
                    Optional.of(Negatable.not(Set.of(AddressType.LOCAL))),
                    Optional.empty(),
                    false,
                    false)),
            syn80,
            true),
        Arguments.of(
            "physdev --physdev-is-bridged (routed)",
            List.of(
                new Match.Physdev(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(true))),
            syn80,
            false),
        Arguments.of(
            "physdev ! --physdev-is-bridged (routed)",
            List.of(
                new Match.Physdev(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(false))),
            syn80,
            true),
        Arguments.of("nfacct", List.of(new Match.Nfacct("web")), syn80, true),
        Arguments.of(
            "statistic --probability 1", List.of(Match.Statistic.random(1.0)), syn80, true),
        Arguments.of(
            "statistic --probability 0", List.of(Match.Statistic.random(0.0)), syn80, false),
        Arguments.of(
            "conntrack --ctstate NEW",
            List.of(Match.Conntrack.ofStates(Set.of(dev.podpath.kernel.path.CtState.NEW))),
            syn80,
            true),
        Arguments.of(
            "conntrack --ctstatus ASSURED",
            List.of(
                Match.Conntrack.builder()
                    .status(Negatable.of(Set.of(Match.CtStatus.ASSURED)))
                    .build()),
            syn80,
            false),
        Arguments.of(
            "conntrack --ctproto tcp --ctorigsrcport 40000",
            List.of(
                Match.Conntrack.builder()
                    .protocol(Negatable.of(Protocol.TCP))
                    .originalSourcePort(Negatable.of(PortRange.of(40000)))
                    .build()),
            syn80,
            true),
        Arguments.of(
            "conntrack ! --ctreplsrc 10.2.0.2",
            List.of(
                Match.Conntrack.builder().replySource(Negatable.not(prefix("10.2.0.2"))).build()),
            syn80,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aMatchHoldsExactlyWhenTheKernelsWould(
      String name, List<Match> matches, Packet p, boolean passes) {
    assertThat(forwards(name, matches, p)).as(name).isEqualTo(passes);
  }

  /** Whether {@code -A FORWARD MATCHES -j ACCEPT} under a DROP policy lets {@code p} through. */
  static boolean forwards(String name, List<Match> matches, Packet p) {
    Harness h = new Harness().address("rc", "10.1.0.1/24").address("rs", "10.2.0.1/24");
    h.policy(TableName.FILTER, "FORWARD", Policy.DROP);
    h.append(
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD " + name + " -j ACCEPT",
        new Target.Accept(),
        matches.toArray(Match[]::new));
    return h.forward(p, "rc", "rs").accepted();
  }

  @ParameterizedTest(name = "nth --every 3 --packet {0}")
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2})
  void nthMatchesThePacketsWhoseIndexModEveryIsPacket(int packet) {
    // real: --every 3 --packet 0 matched packets 1 and 4; after it, --packet 2 matched packet 5
    Harness h = new Harness().address("eth0", "10.2.0.1/24");
    h.append(
        TableName.FILTER,
        "OUTPUT",
        "-A OUTPUT -m statistic --mode nth --every 3 --packet " + packet,
        new Target.None(),
        Match.Statistic.nth(3, packet));
    var hits = new java.util.ArrayList<Integer>();
    for (int i = 0; i < 7; i++) {
      if (!h.localOut(udp("10.2.0.1", 1000 + i, "10.2.0.2", 9), "eth0").rules("filter").stream()
          .filter(r -> r.number() == 1)
          .toList()
          .isEmpty()) {
        hits.add(i);
      }
    }
    assertThat(hits)
        .isEqualTo(
            java.util.stream.IntStream.range(0, 7).filter(i -> i % 3 == packet).boxed().toList());
  }

  @org.junit.jupiter.api.Test
  void physdevSeesTheBridgePortsOfABridgedPacket() {
    Harness h = new Harness();
    h.policy(TableName.FILTER, "FORWARD", Policy.DROP);
    h.append(
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD -m physdev --physdev-in veth1 --physdev-is-bridged -j ACCEPT",
        new Target.Accept(),
        new Match.Physdev(
            Optional.of(Negatable.of("veth1")),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(true)));
    var ctx =
        new dev.podpath.kernel.path.PacketContext(
            h.ns, syn("10.0.0.2", 1, "10.0.0.3", 80), h.chooser);
    ctx.setInInterface("cni0");
    ctx.setOutInterface("cni0");
    ctx.setBridged(true);
    ctx.setPhysIn("veth1");
    ctx.setPhysOut("veth2");
    assertThat(h.hooks.run(dev.podpath.kernel.path.Hook.FORWARD, ctx))
        .isEqualTo(dev.podpath.kernel.path.Verdict.ACCEPT);
    ctx.setPhysIn("veth3");
    assertThat(h.hooks.run(dev.podpath.kernel.path.Hook.FORWARD, ctx))
        .isNotEqualTo(dev.podpath.kernel.path.Verdict.ACCEPT);
  }
}
