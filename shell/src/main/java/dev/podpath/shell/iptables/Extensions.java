package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Protocol;
import java.util.Optional;
import java.util.Set;

/** The match and target extensions podpath's iptables can load, by name. */
final class Extensions {

  private Extensions() {}

  /** Targets a user chain may not be named after. */
  static final Set<String> TARGET_NAMES =
      Set.of(
          "ACCEPT",
          "DROP",
          "RETURN",
          "QUEUE",
          "REJECT",
          "LOG",
          "MARK",
          "CONNMARK",
          "DNAT",
          "SNAT",
          "MASQUERADE",
          "REDIRECT",
          "NOTRACK",
          "CT",
          "TRACE",
          "NFLOG",
          "NFQUEUE",
          "AUDIT",
          "CHECKSUM",
          "CLASSIFY",
          "CONNSECMARK",
          "DSCP",
          "HMARK",
          "IDLETIMER",
          "LED",
          "NETMAP",
          "RATEEST",
          "SECMARK",
          "SET",
          "SYNPROXY",
          "TCPMSS",
          "TCPOPTSTRIP",
          "TEE",
          "TOS",
          "TPROXY",
          "TTL",
          "ULOG",
          "CLUSTERIP",
          "ECN",
          "HL",
          "standard");

  /** {@code -m NAME}. */
  static Optional<Extension<Match>> match(String name, IpFamily family) {
    return Optional.ofNullable(
        switch (name) {
          case "tcp" -> new PortMatches.Ports(Protocol.TCP);
          case "udp" -> new PortMatches.Ports(Protocol.UDP);
          case "sctp" -> new SctpMatch();
          case "icmp" -> family == IpFamily.IPV4 ? new PortMatches.Icmp(family) : null;
          case "icmp6" -> family == IpFamily.IPV6 ? new PortMatches.Icmp(family) : null;
          case "multiport" -> new PortMatches.Multiport();
          case "comment" -> new SimpleMatches.Comment();
          case "mark" -> new SimpleMatches.Mark(false);
          case "connmark" -> new SimpleMatches.Mark(true);
          case "nfacct" -> new SimpleMatches.Nfacct();
          case "set" -> new SimpleMatches.IpSet();
          case "physdev" -> new SimpleMatches.Physdev();
          case "conntrack" -> new StateMatches.Conntrack();
          case "state" -> new StateMatches.State();
          case "addrtype" -> new StateMatches.AddrType();
          case "statistic" -> new StateMatches.Statistic();
          case "recent" -> new StateMatches.Recent();
          default -> null;
        });
  }

  /** The match {@code -p PROTO} loads when one of its options is used without {@code -m}. */
  static Optional<Extension<Match>> protocolMatch(Protocol p, IpFamily family) {
    return switch (p) {
      case TCP -> match("tcp", family);
      case UDP -> match("udp", family);
      case SCTP -> match("sctp", family);
      case ICMP -> match("icmp", family);
      case ICMPV6 -> match("icmp6", family);
      default -> Optional.empty();
    };
  }

  /** {@code -j NAME} for a target extension (not a standard verdict or a chain). */
  static Optional<Extension<Target>> target(String name) {
    return Optional.ofNullable(
        switch (name) {
          case "REJECT" -> new Targets.Reject();
          case "LOG" -> new Targets.Log();
          case "MARK" -> new Targets.Mark(false);
          case "CONNMARK" -> new Targets.Mark(true);
          case "NOTRACK" -> new Targets.Plain("NOTRACK", new Target.NoTrack());
          case "TRACE" -> new Targets.Plain("TRACE", new Target.Trace());
          case "CT" -> new Targets.Ct();
          case "DNAT" -> new NatTargets.Nat(true);
          case "SNAT" -> new NatTargets.Nat(false);
          case "MASQUERADE" -> new NatTargets.ToPorts(true);
          case "REDIRECT" -> new NatTargets.ToPorts(false);
          default -> null;
        });
  }
}
