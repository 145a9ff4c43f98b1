package dev.podpath.kernel.conntrack;

import dev.podpath.kernel.path.Tuple;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Protocol;
import java.util.Optional;
import java.util.Set;

/**
 * A conntrack entry as {@code conntrack -L} shows it: a value, taken at one moment.
 *
 * @param timeout the seconds left before the entry expires
 * @param tcpState the TCP state (empty for other protocols)
 * @param icmpType the ICMP type of the original direction (-1 when not ICMP)
 */
public record ConntrackRecord(
    long id,
    Protocol protocol,
    long timeout,
    Optional<TcpState> tcpState,
    Tuple original,
    Tuple reply,
    int icmpType,
    int icmpCode,
    Set<ConnStatus> status,
    int mark) {

  public ConntrackRecord {
    status = Set.copyOf(status);
  }

  public IpFamily family() {
    return original.src().family();
  }

  /**
   * The line {@code conntrack -L} prints: {@code tcp 6 431999 ESTABLISHED src=… dst=… sport=…
   * dport=… src=… dst=… sport=… dport=… [ASSURED] mark=0 use=1}.
   */
  @Override
  public String toString() {
    var sb = new StringBuilder();
    String name =
        switch (protocol) {
          case ICMPV6 -> "icmpv6";
          case IPENCAP -> "unknown"; // conntrack tracks it with the generic protocol
          default -> protocol.iptablesName();
        };
    sb.append(String.format("%-8s %d %d ", name, protocol.number(), timeout));
    tcpState.ifPresent(s -> sb.append(s.name()).append(' '));
    tuple(sb, original, icmpType);
    if (!status.contains(ConnStatus.SEEN_REPLY)) {
      sb.append("[UNREPLIED] ");
    }
    tuple(sb, reply, Tuples.icmpReplyType(icmpType, protocol == Protocol.ICMPV6));
    if (status.contains(ConnStatus.ASSURED)) {
      sb.append("[ASSURED] ");
    }
    sb.append("mark=").append(Integer.toUnsignedString(mark)).append(" use=1");
    return sb.toString();
  }

  private void tuple(StringBuilder sb, Tuple t, int type) {
    sb.append("src=").append(t.src()).append(" dst=").append(t.dst()).append(' ');
    if (protocol.hasPorts()) {
      sb.append("sport=").append(t.srcPort()).append(" dport=").append(t.dstPort()).append(' ');
    } else if (protocol == Protocol.ICMP || protocol == Protocol.ICMPV6) {
      sb.append("type=")
          .append(type)
          .append(" code=")
          .append(icmpCode)
          .append(" id=")
          .append(t.srcPort())
          .append(' ');
    }
  }
}
