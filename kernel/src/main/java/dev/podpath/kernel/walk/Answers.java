package dev.podpath.kernel.walk;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.SctpChunk;
import dev.podpath.net.TcpFlag;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/** The packets a kernel sends back: SYN-ACK, RST, UDP answers, echo replies and ICMP errors. */
final class Answers {

  private Answers() {}

  /**
   * What a listening socket answers to {@code p}: a SYN-ACK for a SYN, an INIT_ACK for an SCTP INIT
   * (a SACK for other SCTP chunks), the datagram echoed back.
   */
  static Packet fromSocket(Packet p) {
    var b =
        Packet.builder()
            .src(p.dst())
            .dst(p.src())
            .protocol(p.protocol())
            .srcPort(p.dstPort())
            .dstPort(p.srcPort());
    b.length(p.length());
    if (p.protocol() == Protocol.TCP) {
      boolean syn = p.tcpFlags().contains(TcpFlag.SYN) && !p.tcpFlags().contains(TcpFlag.ACK);
      b.tcpFlags(syn ? EnumSet.of(TcpFlag.SYN, TcpFlag.ACK) : EnumSet.of(TcpFlag.ACK));
      // a SYN-ACK carries 20 bytes of options (MSS, SACK permitted, timestamps, window scale),
      b.length(ipHeader(p) + (syn ? 40 : 32)); // later segments carry timestamps
    }
    if (p.protocol() == Protocol.SCTP) {
      boolean init = p.sctpChunks().stream().anyMatch(c -> c.type() == SctpChunk.INIT);
      b.sctpChunks(List.of(SctpChunk.of(init ? SctpChunk.INIT_ACK : SctpChunk.SACK)));
    }
    return b.build();
  }

  /** An SCTP ABORT answering an out-of-the-blue {@code p}. */
  static Packet abort(Packet p) {
    return Packet.builder()
        .src(p.dst())
        .dst(p.src())
        .protocol(Protocol.SCTP)
        .srcPort(p.dstPort())
        .dstPort(p.srcPort())
        .sctpChunks(List.of(SctpChunk.of(SctpChunk.ABORT)))
        .build();
  }

  /** A TCP RST answering {@code p} ({@code tcp_v4_send_reset}). */
  static Packet reset(Packet p) {
    return Packet.builder()
        .src(p.dst())
        .dst(p.src())
        .protocol(Protocol.TCP)
        .srcPort(p.dstPort())
        .dstPort(p.srcPort())
        .tcpFlags(EnumSet.of(TcpFlag.RST, TcpFlag.ACK))
        .length(ipHeader(p) + 20)
        .build();
  }

  private static int ipHeader(Packet p) {
    return p.family() == IpFamily.IPV4 ? 20 : 40;
  }

  /**
   * The length of an ICMP error quoting {@code p}: headers, then as much of {@code p} as fits in
   * 576 bytes (IPv4) or 1280 (IPv6).
   */
  private static int errorLength(Packet p) {
    return p.family() == IpFamily.IPV4
        ? Math.min(576, 28 + p.length())
        : Math.min(1280, 48 + p.length());
  }

  /** The echo reply to an echo request. */
  static Packet echoReply(Packet p) {
    boolean v4 = p.family() == IpFamily.IPV4;
    return Packet.builder()
        .src(p.dst())
        .dst(p.src())
        .protocol(p.protocol())
        .icmpType(v4 ? 0 : 129)
        .icmpCode(0)
        .icmpId(p.icmpId())
        .length(p.length())
        .ttl(64)
        .build();
  }

  /**
   * An ICMP error about {@code p} ({@code icmp_send}): from the packet's destination when it is
   * ours, else from the address this namespace would use towards the sender. None about an ICMP
   * error, as the kernel never answers an error with an error.
   */
  static Optional<Packet> icmpError(NetNamespace ns, Packet p, int type, int code) {
    boolean icmp = p.protocol() == Protocol.ICMP || p.protocol() == Protocol.ICMPV6;
    if (icmp && (p.inner().isPresent() || (p.icmpType() != 8 && p.icmpType() != 128))) {
      return Optional.empty();
    }
    IpAddress src =
        ns.routing().isLocal(p.dst())
            ? p.dst()
            : ns.routing().lookup(p.src()).flatMap(d -> d.source()).orElse(p.dst());
    boolean v4 = p.family() == IpFamily.IPV4;
    return Optional.of(
        Packet.builder()
            .src(src)
            .dst(p.src())
            .protocol(v4 ? Protocol.ICMP : Protocol.ICMPV6)
            .icmpType(type)
            .icmpCode(code)
            .inner(p)
            .length(errorLength(p))
            .build());
  }

  /** The error a {@code REJECT --reject-with KIND} sends. */
  static Packet reject(NetNamespace ns, Packet p, String kind) {
    if (kind.equals("tcp-reset") && p.protocol() == Protocol.TCP) {
      return reset(p);
    }
    int code =
        switch (kind) {
          case "icmp-net-unreachable", "icmp6-no-route", "no-route" -> 0;
          case "icmp-host-unreachable", "icmp6-addr-unreachable", "addr-unreach" -> 1;
          case "icmp-proto-unreachable" -> 2;
          case "icmp-net-prohibited" -> 9;
          case "icmp-host-prohibited" -> 10;
          case "icmp-admin-prohibited", "icmp6-adm-prohibited", "adm-prohibited" -> 13;
          default -> 3; // icmp-port-unreachable, the default
        };
    int type = 3;
    if (p.family() == IpFamily.IPV6) {
      type = 1;
      code =
          switch (kind) {
            case "icmp6-no-route", "no-route" -> 0;
            case "icmp6-adm-prohibited", "adm-prohibited" -> 1;
            case "icmp6-addr-unreachable", "addr-unreach" -> 3;
            default -> 4;
          };
    }
    int t = type;
    int c = code;
    return icmpError(ns, p, t, c)
        .orElseGet(
            () ->
                Packet.builder()
                    .src(p.dst())
                    .dst(p.src())
                    .protocol(p.family() == IpFamily.IPV4 ? Protocol.ICMP : Protocol.ICMPV6)
                    .icmpType(t)
                    .icmpCode(c)
                    .inner(p)
                    .length(errorLength(p))
                    .build());
  }
}
