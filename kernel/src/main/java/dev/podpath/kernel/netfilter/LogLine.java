package dev.podpath.kernel.netfilter;

import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.PacketContext;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.TcpFlag;
import java.util.List;

/**
 * The kernel log line of the LOG target ({@code nf_log_ip_packet}/{@code nf_log_ip6_packet}):
 * {@code PREFIX IN=eth0 OUT= SRC=… DST=… LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=0 PROTO=TCP SPT=…
 * DPT=… WINDOW=0 RES=0x00 SYN URGP=0}. Fields podpath does not model (TOS, IP id, window) read 0.
 */
final class LogLine {

  private static final List<TcpFlag> PRINT_ORDER =
      List.of(
          TcpFlag.CWR,
          TcpFlag.ECE,
          TcpFlag.URG,
          TcpFlag.ACK,
          TcpFlag.PSH,
          TcpFlag.RST,
          TcpFlag.SYN,
          TcpFlag.FIN);

  private LogLine() {}

  static String format(Target.Log log, PacketContext ctx) {
    var sb = new StringBuilder(log.prefix());
    sb.append("IN=")
        .append(ctx.inInterface().orElse(""))
        .append(" OUT=")
        .append(ctx.outInterface().orElse(""))
        .append(' ');
    ctx.physIn().ifPresent(p -> sb.append("PHYSIN=").append(p).append(' '));
    ctx.physOut().ifPresent(p -> sb.append("PHYSOUT=").append(p).append(' '));
    packet(sb, ctx.packet(), log);
    if (ctx.mark() != 0) {
      sb.append("MARK=0x").append(Integer.toHexString(ctx.mark())).append(' ');
    }
    return sb.toString().stripTrailing();
  }

  private static void packet(StringBuilder sb, Packet p, Target.Log log) {
    sb.append("SRC=").append(p.src()).append(" DST=").append(p.dst()).append(' ');
    if (p.family() == IpFamily.IPV4) {
      sb.append("LEN=")
          .append(p.length())
          .append(" TOS=0x00 PREC=0x00 TTL=")
          .append(p.ttl())
          .append(" ID=0 ");
    } else {
      sb.append("LEN=")
          .append(p.length())
          .append(" TC=0 HOPLIMIT=")
          .append(p.ttl())
          .append(" FLOWLBL=0 ");
    }
    switch (p.protocol()) {
      case TCP -> {
        sb.append("PROTO=TCP SPT=")
            .append(p.srcPort())
            .append(" DPT=")
            .append(p.dstPort())
            .append(' ');
        if (log.flags().contains(Target.LogFlag.TCP_SEQUENCE)) {
          sb.append("SEQ=0 ACK=0 ");
        }
        sb.append("WINDOW=0 RES=0x00 ");
        for (TcpFlag f : PRINT_ORDER) {
          if (p.tcpFlags().contains(f)) {
            sb.append(f.name()).append(' ');
          }
        }
        sb.append("URGP=0 ");
      }
      case UDP ->
          sb.append("PROTO=UDP SPT=")
              .append(p.srcPort())
              .append(" DPT=")
              .append(p.dstPort())
              .append(" LEN=")
              .append(Math.max(8, p.length() - (p.family() == IpFamily.IPV4 ? 20 : 40)))
              .append(' ');
      case SCTP ->
          sb.append("PROTO=SCTP SPT=")
              .append(p.srcPort())
              .append(" DPT=")
              .append(p.dstPort())
              .append(' ');
      case ICMP, ICMPV6 -> {
        sb.append(p.protocol() == Protocol.ICMP ? "PROTO=ICMP " : "PROTO=ICMPv6 ");
        sb.append("TYPE=").append(p.icmpType()).append(" CODE=").append(p.icmpCode()).append(' ');
        boolean echo =
            p.protocol() == Protocol.ICMP
                ? p.icmpType() == 0 || p.icmpType() == 8
                : p.icmpType() == 128 || p.icmpType() == 129;
        if (echo) {
          sb.append("ID=").append(p.icmpId()).append(" SEQ=0 ");
        }
        p.inner()
            .ifPresent(
                in -> {
                  sb.append('[');
                  packet(sb, in, log);
                  sb.setLength(sb.length() - 1);
                  sb.append("] ");
                });
      }
    }
  }
}
