package dev.podpath.kernel.netfilter;

import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.MacHeader;
import dev.podpath.kernel.path.PacketContext;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Ipv6Address;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.TcpFlag;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kernel log line of the LOG target, as {@code nf_log_syslog} writes it and {@code dmesg} shows
 * it (without the trailing space every field leaves): {@code PREFIX IN=rc OUT=rs [PHYSIN=…
 * PHYSOUT=…] MAC=DST:SRC:08:00 SRC=… DST=… LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=0 DF PROTO=TCP SPT=…
 * DPT=… WINDOW=64240 RES=0x00 SYN URGP=0 [UID=0 GID=0] [MARK=0x2a]}. {@code MAC=} is there only for
 * a received packet ({@code --log-macdecode}: {@code MACSRC= MACDST= MACPROTO=}); IPv6 addresses
 * are written in full ({@code %pI6}).
 *
 * <p>What podpath does not model is derived as Linux's defaults give it: {@code DF} on everything
 * but the ICMP messages the kernel itself sends (echo replies and errors, which also carry {@code
 * PREC=0xC0} when they are errors); the TCP window of a SYN or SYN-ACK as a Linux socket with
 * default buffers advertises it over a 1500-byte MTU (65536 on {@code lo}), 0 on a RST and on other
 * segments; {@code UID=0 GID=0} (processes run as root) for packets a socket sent, not for the
 * kernel's answers (SYN-ACK, RST, ICMP). The IP id, TCP sequence numbers, ICMP sequence, IPv6 flow
 * label read 0, and {@code --log-tcp-options} prints no {@code OPT (…)}.
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
    ctx.physIn()
        .filter(p -> !ctx.inInterface().orElse("").equals(p))
        .ifPresent(p -> sb.append("PHYSIN=").append(p).append(' '));
    ctx.physOut()
        .filter(p -> !ctx.outInterface().orElse("").equals(p))
        .ifPresent(p -> sb.append("PHYSOUT=").append(p).append(' '));
    Packet p = ctx.packet();
    if (ctx.inInterface().isPresent()) {
      mac(sb, ctx.macHeader(), p.family(), log.flags().contains(Target.LogFlag.MACDECODE));
    }
    packet(sb, p, log, ctx, true);
    if (log.flags().contains(Target.LogFlag.UID) && ctx.locallyGenerated() && !kernelMade(p)) {
      sb.append("UID=0 GID=0 ");
    }
    if (ctx.mark() != 0) {
      sb.append("MARK=0x").append(Integer.toHexString(ctx.mark())).append(' ');
    }
    return sb.toString().stripTrailing();
  }

  /** {@code dump_mac_header}: the header's bytes, or the decoded Ethernet fields. */
  private static void mac(
      StringBuilder sb, Optional<MacHeader> header, IpFamily family, boolean decode) {
    String proto = family == IpFamily.IPV4 ? "0800" : "86dd";
    MacHeader h = header.orElse(MacHeader.NONE);
    if (decode && h.present() && !h.equals(MacHeader.LOOPBACK)) {
      sb.append("MACSRC=")
          .append(h.source())
          .append(" MACDST=")
          .append(h.destination())
          .append(" MACPROTO=")
          .append(proto)
          .append(' ');
      return;
    }
    sb.append("MAC=");
    if (h.present()) {
      sb.append(h.destination())
          .append(':')
          .append(h.source())
          .append(':')
          .append(proto, 0, 2)
          .append(':')
          .append(proto, 2, 4);
    }
    sb.append(' ');
  }

  private static void packet(
      StringBuilder sb, Packet p, Target.Log log, PacketContext ctx, boolean outer) {
    sb.append("SRC=").append(text(p.src())).append(" DST=").append(text(p.dst())).append(' ');
    if (p.family() == IpFamily.IPV4) {
      int tos = icmpError(p) ? 0xc0 : 0;
      sb.append("LEN=")
          .append(p.length())
          .append(
              String.format(Locale.ROOT, " TOS=0x%02X PREC=0x%02X TTL=", tos & 0x1e, tos & 0xe0))
          .append(p.ttl())
          .append(" ID=0 ");
      if (p.protocol() != Protocol.ICMP || !kernelMade(p)) {
        sb.append("DF ");
      }
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
        if (outer && log.flags().contains(Target.LogFlag.TCP_SEQUENCE)) {
          sb.append("SEQ=0 ACK=0 ");
        }
        sb.append("WINDOW=").append(window(p, ctx)).append(" RES=0x00 ");
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
        if (echo(p)) {
          sb.append("ID=").append(p.icmpId()).append(" SEQ=0 ");
        }
        p.inner()
            .ifPresent(
                in -> {
                  sb.append('[');
                  packet(sb, in, log, ctx, false);
                  sb.append("] ");
                });
      }
    }
  }

  /** {@code %pI4} or {@code %pI6}: IPv6 as eight groups of four hex digits, uncompressed. */
  private static String text(IpAddress a) {
    if (!(a instanceof Ipv6Address v6)) {
      return a.toString();
    }
    var sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      long half = i < 4 ? v6.high() : v6.low();
      int group = (int) (half >>> (48 - 16 * (i % 4))) & 0xffff;
      if (i > 0) {
        sb.append(':');
      }
      sb.append(String.format(Locale.ROOT, "%04x", group));
    }
    return sb.toString();
  }

  private static boolean echo(Packet p) {
    return p.protocol() == Protocol.ICMP
        ? p.icmpType() == 0 || p.icmpType() == 8
        : p.icmpType() == 128 || p.icmpType() == 129;
  }

  /**
   * An ICMP error the kernel sends ({@code icmp_send}: destination unreachable, time exceeded…).
   */
  private static boolean icmpError(Packet p) {
    return p.protocol() == Protocol.ICMP
        && (p.icmpType() == 3
            || p.icmpType() == 4
            || p.icmpType() == 5
            || p.icmpType() == 11
            || p.icmpType() == 12);
  }

  /**
   * Whether the kernel made the packet without a full socket: a SYN-ACK (request socket), a RST, an
   * ICMP error or echo reply. TCP ones still carry DF; the ICMP ones do not.
   */
  private static boolean kernelMade(Packet p) {
    return switch (p.protocol()) {
      case TCP ->
          p.tcpFlags().contains(TcpFlag.RST)
              || (p.tcpFlags().contains(TcpFlag.SYN) && p.tcpFlags().contains(TcpFlag.ACK));
      case ICMP -> icmpError(p) || p.icmpType() == 0 || p.icmpType() == 14;
      case ICMPV6 -> p.icmpType() < 128 || p.icmpType() == 129;
      default -> false;
    };
  }

  /**
   * The window a Linux socket with default buffers puts in its SYN ({@code
   * tcp_select_initial_window}: 65535 rounded down to a multiple of the MSS, the MTU less the
   * headers) or SYN-ACK (the MSS less the 12 bytes of the timestamp option); 0 otherwise.
   */
  private static int window(Packet p, PacketContext ctx) {
    boolean syn = p.tcpFlags().contains(TcpFlag.SYN);
    if (!syn || p.tcpFlags().contains(TcpFlag.RST)) {
      return 0;
    }
    boolean loopback =
        ctx.inInterface().orElse("").equals("lo") || ctx.outInterface().orElse("").equals("lo");
    int mtu = loopback ? 65535 : 1500;
    int mss = mtu - (p.family() == IpFamily.IPV4 ? 40 : 60);
    if (p.tcpFlags().contains(TcpFlag.ACK)) {
      mss -= 12;
    }
    return 65535 - 65535 % mss;
  }
}
