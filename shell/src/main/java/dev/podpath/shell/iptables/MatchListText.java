package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Protocol;
import dev.podpath.net.TcpFlag;
import java.util.Optional;
import java.util.Set;

/** The {@code iptables -L} text of each match, every item with its leading space. */
final class MatchListText {

  private MatchListText() {}

  static void print(
      StringBuilder sb, Match m, IpFamily family, boolean numeric, Optional<Protocol> protocol) {
    switch (m) {
      case Match.Tcp t -> {
        sb.append(" tcp");
        ports(sb, "spt", t.sourcePorts(), numeric, Protocol.TCP);
        ports(sb, "dpt", t.destinationPorts(), numeric, Protocol.TCP);
        t.flags()
            .ifPresent(
                f ->
                    sb.append(" flags:")
                        .append(f.inverted() ? "!" : "")
                        .append(
                            numeric
                                ? String.format(
                                    "0x%02X/0x%02X", bits(f.value().mask()), bits(f.value().set()))
                                : RuleText.flags(f.value().mask())
                                    + "/"
                                    + RuleText.flags(f.value().set())));
      }
      case Match.Udp u -> {
        sb.append(" udp");
        ports(sb, "spt", u.sourcePorts(), numeric, Protocol.UDP);
        ports(sb, "dpt", u.destinationPorts(), numeric, Protocol.UDP);
      }
      case Match.Sctp sc -> SctpMatch.list(sb, sc, numeric);
      case Match.Icmp i -> icmp(sb, " icmp", i.type(), family, numeric);
      case Match.Icmp6 i -> icmp(sb, " ipv6-icmp", i.type(), family, numeric);
      case Match.Multiport mp -> {
        sb.append(" multiport ")
            .append(RuleText.multiportOption(mp.direction()))
            .append(' ')
            .append(mp.inverted() ? " !" : "");
        StringBuilder list = new StringBuilder();
        for (PortRange p : mp.ports()) {
          // A protocol podpath does not model (dccp, udplite) has no service names in the file.
          boolean noNames = numeric || protocol.isEmpty();
          list.append(list.isEmpty() ? "" : ",").append(Listing.ports(p, noNames, protocol));
        }
        sb.append(list);
      }
      case Match.Comment c -> sb.append(" /* ").append(c.text()).append(" */");
      case Match.Mark k ->
          sb.append(" mark match")
              .append(k.inverted() ? " !" : "")
              .append(' ')
              .append(RuleText.markMask(k.value(), k.mask()));
      case Match.ConnMark k ->
          sb.append(" connmark match ")
              .append(k.inverted() ? "!" : "")
              .append(' ')
              .append(RuleText.markMask(k.value(), k.mask()));
      case Match.Conntrack c -> ConntrackText.print(sb, c, numeric);
      case Match.State s ->
          sb.append(s.inverted() ? " !" : "")
              .append(" state ")
              .append(ConntrackText.states(s.states(), false));
      case Match.AddrType a -> {
        sb.append(" ADDRTYPE match");
        a.sourceType()
            .ifPresent(
                t ->
                    sb.append(" src-type ")
                        .append(t.inverted() ? "!" : "")
                        .append(ConntrackText.addressTypes(t.value())));
        a.destinationType()
            .ifPresent(
                t ->
                    sb.append(" dst-type ")
                        .append(t.inverted() ? "!" : "")
                        .append(ConntrackText.addressTypes(t.value())));
        sb.append(a.limitIfaceIn() ? " limit-in" : "")
            .append(a.limitIfaceOut() ? " limit-out" : "");
      }
      case Match.Statistic s -> {
        sb.append(" statistic");
        ConntrackText.statistic(sb, s, "");
      }
      case Match.Physdev p -> {
        sb.append(" PHYSDEV match");
        RuleText.physdev(sb, p);
      }
      case Match.Recent r -> ConntrackText.recentPrint(sb, r);
      case Match.Nfacct n -> sb.append(" nfacct-name  ").append(n.name());
      case Match.IpSet s ->
          sb.append(s.inverted() ? " !" : "")
              .append(" match-set ")
              .append(s.setName())
              .append(' ')
              .append(
                  String.join(
                      ",",
                      s.directions().stream()
                          .map(d -> d.name().toLowerCase(java.util.Locale.ROOT))
                          .toList()));
      case Match.Source s -> {}
      case Match.Destination d -> {}
      case Match.Proto p -> {}
      case Match.Fragment f -> {}
      case Match.InInterface i -> {}
      case Match.OutInterface o -> {}
    }
  }

  private static int bits(Set<TcpFlag> flags) {
    int b = 0;
    for (TcpFlag f : flags) {
      b |=
          switch (f) {
            case FIN -> 0x01;
            case SYN -> 0x02;
            case RST -> 0x04;
            case PSH -> 0x08;
            case ACK -> 0x10;
            case URG -> 0x20;
            case ECE -> 0x40;
            case CWR -> 0x80;
          };
    }
    return b;
  }

  private static void ports(
      StringBuilder sb,
      String name,
      Optional<Negatable<PortRange>> r,
      boolean numeric,
      Protocol protocol) {
    Optional<Protocol> proto = Optional.of(protocol);
    r.ifPresent(
        p -> {
          String inv = p.inverted() ? "!" : "";
          if (p.value().isSingle()) {
            sb.append(' ')
                .append(name)
                .append(':')
                .append(inv)
                .append(Listing.port(p.value().low(), numeric, proto));
          } else {
            sb.append(' ')
                .append(name)
                .append("s:")
                .append(inv)
                .append(Listing.port(p.value().low(), numeric, proto))
                .append(':')
                .append(Listing.port(p.value().high(), numeric, proto));
          }
        });
  }

  private static void icmp(
      StringBuilder sb,
      String head,
      Optional<Negatable<Match.IcmpType>> type,
      IpFamily family,
      boolean numeric) {
    sb.append(head);
    type.ifPresent(
        t -> {
          Optional<String> name = numeric ? Optional.empty() : IcmpTypes.name(family, t.value());
          if (name.isPresent()) {
            sb.append(' ').append(t.inverted() ? "!" : "").append(name.get());
          } else {
            sb.append(t.inverted() ? " !" : "").append("type ").append(IcmpTypes.print(t.value()));
          }
        });
  }
}
