package dev.podpath.kernel.netfilter.rule;

import dev.podpath.net.IpFamily;
import java.util.Optional;

/**
 * The answers {@code REJECT --reject-with} can send: an ICMP (or ICMPv6) error of a given type and
 * code, or a TCP reset. Names as {@code iptables -S} prints them.
 */
public enum RejectWith {
  ICMP_NET_UNREACHABLE("icmp-net-unreachable", IpFamily.IPV4, 3, 0),
  ICMP_HOST_UNREACHABLE("icmp-host-unreachable", IpFamily.IPV4, 3, 1),
  ICMP_PROT_UNREACHABLE("icmp-proto-unreachable", IpFamily.IPV4, 3, 2),
  ICMP_PORT_UNREACHABLE("icmp-port-unreachable", IpFamily.IPV4, 3, 3),
  ICMP_NET_PROHIBITED("icmp-net-prohibited", IpFamily.IPV4, 3, 9),
  ICMP_HOST_PROHIBITED("icmp-host-prohibited", IpFamily.IPV4, 3, 10),
  ICMP_ADMIN_PROHIBITED("icmp-admin-prohibited", IpFamily.IPV4, 3, 13),
  ICMP6_NO_ROUTE("icmp6-no-route", IpFamily.IPV6, 1, 0),
  ICMP6_ADM_PROHIBITED("icmp6-adm-prohibited", IpFamily.IPV6, 1, 1),
  ICMP6_ADDR_UNREACHABLE("icmp6-addr-unreachable", IpFamily.IPV6, 1, 3),
  ICMP6_PORT_UNREACHABLE("icmp6-port-unreachable", IpFamily.IPV6, 1, 4),
  ICMP6_POLICY_FAIL("icmp6-policy-fail", IpFamily.IPV6, 1, 5),
  ICMP6_REJECT_ROUTE("icmp6-reject-route", IpFamily.IPV6, 1, 6),
  /** A TCP RST (IPv4 and IPv6); only for rules that match {@code -p tcp}. */
  TCP_RESET("tcp-reset", null, -1, -1);

  private final String iptablesName;
  private final @org.jspecify.annotations.Nullable IpFamily family;
  private final int icmpType;
  private final int icmpCode;

  RejectWith(
      String iptablesName, @org.jspecify.annotations.Nullable IpFamily family, int type, int code) {
    this.iptablesName = iptablesName;
    this.family = family;
    this.icmpType = type;
    this.icmpCode = code;
  }

  public String iptablesName() {
    return iptablesName;
  }

  /** Whether this answer exists for {@code f} (tcp-reset exists for both). */
  public boolean appliesTo(IpFamily f) {
    return family == null || family == f;
  }

  /** The ICMP error's type, or -1 for a TCP reset. */
  public int icmpType() {
    return icmpType;
  }

  /** The ICMP error's code, or -1 for a TCP reset. */
  public int icmpCode() {
    return icmpCode;
  }

  /**
   * The default answer of a family ({@code icmp-port-unreachable}, {@code icmp6-port-unreachable}).
   */
  public static RejectWith defaultFor(IpFamily f) {
    return f == IpFamily.IPV4 ? ICMP_PORT_UNREACHABLE : ICMP6_PORT_UNREACHABLE;
  }

  /** Looks an answer up by the name {@code iptables -S} prints. */
  public static Optional<RejectWith> find(String name) {
    for (RejectWith r : values()) {
      if (r.iptablesName.equals(name)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return iptablesName;
  }
}
