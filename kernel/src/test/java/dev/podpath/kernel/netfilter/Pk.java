package dev.podpath.kernel.netfilter;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.TcpFlag;
import java.util.EnumSet;
import java.util.Optional;

/** Short constructors for test packets and matches. */
final class Pk {
  private Pk() {}

  static IpAddress ip(String s) {
    return IpAddress.parse(s);
  }

  static Packet syn(String src, int sport, String dst, int dport) {
    return Packet.tcpSyn(ip(src), sport, ip(dst), dport);
  }

  static Packet tcp(String src, int sport, String dst, int dport, TcpFlag... flags) {
    return Packet.builder()
        .src(ip(src))
        .dst(ip(dst))
        .protocol(Protocol.TCP)
        .srcPort(sport)
        .dstPort(dport)
        .tcpFlags(flags.length == 0 ? EnumSet.noneOf(TcpFlag.class) : EnumSet.of(flags[0], flags))
        .build();
  }

  static Packet udp(String src, int sport, String dst, int dport) {
    return Packet.udp(ip(src), sport, ip(dst), dport);
  }

  static Packet ping(String src, String dst, int id) {
    return Packet.echoRequest(ip(src), ip(dst), id);
  }

  /** The reply a host would send to packet {@code p} as it arrived. */
  static Packet replyTo(Packet p) {
    var b = p.toBuilder().src(p.dst()).dst(p.src()).srcPort(p.dstPort()).dstPort(p.srcPort());
    if (p.protocol() == Protocol.TCP && p.tcpFlags().equals(java.util.Set.of(TcpFlag.SYN))) {
      b.tcpFlags(EnumSet.of(TcpFlag.SYN, TcpFlag.ACK));
    }
    if (p.icmpType() == 8) {
      b.icmpType(0);
    }
    return b.build();
  }

  static Match.Proto proto(Protocol p) {
    return new Match.Proto(p, false);
  }

  static Match.Destination dst(String prefix) {
    return new Match.Destination(prefix(prefix), false);
  }

  static Match.Source src(String prefix) {
    return new Match.Source(prefix(prefix), false);
  }

  static IpPrefix prefix(String s) {
    return s.contains("/") ? IpPrefix.parse(s) : IpPrefix.host(ip(s));
  }

  static Match.Tcp dport(int port) {
    return new Match.Tcp(
        Optional.empty(), Optional.of(Negatable.of(PortRange.of(port))), Optional.empty());
  }

  static Match.Udp udpDport(int port) {
    return new Match.Udp(Optional.empty(), Optional.of(Negatable.of(PortRange.of(port))));
  }
}
