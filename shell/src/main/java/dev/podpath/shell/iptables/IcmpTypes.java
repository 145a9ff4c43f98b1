package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.rule.Match.IcmpType;
import dev.podpath.net.IpFamily;
import java.util.List;
import java.util.Optional;

/** The ICMP and ICMPv6 type names of {@code --icmp-type} and {@code --icmpv6-type}. */
final class IcmpTypes {

  private IcmpTypes() {}

  private record Named(String name, IcmpType type) {}

  private static Named n(String name, int type) {
    return new Named(name, IcmpType.of(type));
  }

  private static Named n(String name, int type, int code) {
    return new Named(name, IcmpType.of(type, code));
  }

  private static final List<Named> V4 =
      List.of(
          new Named("any", IcmpType.ANY),
          n("echo-reply", 0),
          n("pong", 0),
          n("destination-unreachable", 3),
          n("network-unreachable", 3, 0),
          n("host-unreachable", 3, 1),
          n("protocol-unreachable", 3, 2),
          n("port-unreachable", 3, 3),
          n("fragmentation-needed", 3, 4),
          n("source-route-failed", 3, 5),
          n("network-unknown", 3, 6),
          n("host-unknown", 3, 7),
          n("network-prohibited", 3, 9),
          n("host-prohibited", 3, 10),
          n("TOS-network-unreachable", 3, 11),
          n("TOS-host-unreachable", 3, 12),
          n("communication-prohibited", 3, 13),
          n("host-precedence-violation", 3, 14),
          n("precedence-cutoff", 3, 15),
          n("source-quench", 4),
          n("redirect", 5),
          n("network-redirect", 5, 0),
          n("host-redirect", 5, 1),
          n("TOS-network-redirect", 5, 2),
          n("TOS-host-redirect", 5, 3),
          n("echo-request", 8),
          n("ping", 8),
          n("router-advertisement", 9),
          n("router-solicitation", 10),
          n("time-exceeded", 11),
          n("ttl-exceeded", 11),
          n("ttl-zero-during-transit", 11, 0),
          n("ttl-zero-during-reassembly", 11, 1),
          n("parameter-problem", 12),
          n("ip-header-bad", 12, 0),
          n("required-option-missing", 12, 1),
          n("timestamp-request", 13),
          n("timestamp-reply", 14),
          n("address-mask-request", 17),
          n("address-mask-reply", 18));

  private static final List<Named> V6 =
      List.of(
          n("destination-unreachable", 1),
          n("no-route", 1, 0),
          n("communication-prohibited", 1, 1),
          n("beyond-scope", 1, 2),
          n("address-unreachable", 1, 3),
          n("port-unreachable", 1, 4),
          n("failed-policy", 1, 5),
          n("reject-route", 1, 6),
          n("packet-too-big", 2),
          n("time-exceeded", 3),
          n("ttl-exceeded", 3),
          n("ttl-zero-during-transit", 3, 0),
          n("ttl-zero-during-reassembly", 3, 1),
          n("parameter-problem", 4),
          n("bad-header", 4, 0),
          n("unknown-header-type", 4, 1),
          n("unknown-option", 4, 2),
          n("echo-request", 128),
          n("ping", 128),
          n("echo-reply", 129),
          n("pong", 129),
          n("mld-listener-query", 130),
          n("mld-listener-report", 131),
          n("mld-listener-done", 132),
          n("router-solicitation", 133),
          n("router-advertisement", 134),
          n("neighbour-solicitation", 135),
          n("neighbor-solicitation", 135),
          n("neighbour-advertisement", 136),
          n("neighbor-advertisement", 136),
          n("redirect", 137));

  /** Parses {@code NAME}, {@code TYPE} or {@code TYPE/CODE}. */
  static IcmpType parse(IpFamily family, String text) {
    for (Named n : family == IpFamily.IPV4 ? V4 : V6) {
      if (n.name().equals(text)) {
        return n.type();
      }
    }
    int slash = text.indexOf('/');
    var type = Values.number(slash < 0 ? text : text.substring(0, slash), 255);
    var code = slash < 0 ? type : Values.number(text.substring(slash + 1), 255);
    if (type.isEmpty() || code.isEmpty()) {
      throw IptablesError.parameter(
          family == IpFamily.IPV4
              ? "Unknown ICMP type `" + text + "'"
              : "Unknown ICMPv6 type `" + text + "'");
    }
    int t = (int) type.getAsLong();
    return slash < 0 ? IcmpType.of(t) : IcmpType.of(t, (int) code.getAsLong());
  }

  /** The name {@code iptables -L} shows without {@code -n}, if the type has one. */
  static Optional<String> name(IpFamily family, IcmpType type) {
    for (Named n : family == IpFamily.IPV4 ? V4 : V6) {
      if (n.type().equals(type)) {
        return Optional.of(n.name());
      }
    }
    return Optional.empty();
  }

  /** The save form: {@code any}, {@code 8} or {@code 3/4}. */
  static String save(IcmpType t) {
    if (t.equals(IcmpType.ANY)) {
      return "any";
    }
    return t.codeMin() == t.codeMax() ? t.type() + "/" + t.codeMin() : Integer.toString(t.type());
  }

  /** The numeric list form after {@code type}: {@code 8}, {@code 3 code 4}, {@code 3 codes 1-2}. */
  static String print(IcmpType t) {
    if (t.codeMin() == t.codeMax()) {
      return t.type() + " code " + t.codeMin();
    }
    if (t.codeMin() != 0 || t.codeMax() != 255) {
      return t.type() + " codes " + t.codeMin() + "-" + t.codeMax();
    }
    return Integer.toString(t.type());
  }
}
