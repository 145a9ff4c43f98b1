package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.TcpFlag;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A rule as {@code iptables -S} and {@code iptables-save} write it: {@code -A CHAIN}, the
 * addresses, interfaces and protocol, each match with {@code -m NAME} and its options in the
 * extension's own order, then the target. The same text is the rule's {@code text} in the model, so
 * traces show what {@code iptables -S} shows.
 */
public final class RuleText {

  private RuleText() {}

  /** {@code -A CHAIN …} for a rule (its own text is ignored). */
  public static String of(String chain, Rule rule) {
    return of(chain, rule, Optional.empty());
  }

  /**
   * With {@code counters}, the {@code -c PKTS BYTES} that {@code iptables -S -v} puts before the
   * target.
   */
  static String of(String chain, Rule rule, Optional<Counters> counters) {
    StringBuilder sb = new StringBuilder("-A ").append(chain);
    base(sb, rule.matches());
    for (Match m : rule.matches()) {
      if (!m.module().isEmpty()) {
        sb.append(" -m ").append(m.module());
        match(sb, m);
      }
    }
    counters.ifPresent(
        c ->
            sb.append(" -c ")
                .append(Long.toUnsignedString(c.packets()))
                .append(' ')
                .append(Long.toUnsignedString(c.bytes())));
    target(sb, rule.target());
    return sb.toString();
  }

  private static void base(StringBuilder sb, List<Match> matches) {
    for (Match m : matches) {
      if (m instanceof Match.Source s) {
        address(sb, 's', s.prefix(), s.inverted());
      }
    }
    for (Match m : matches) {
      if (m instanceof Match.Destination d) {
        address(sb, 'd', d.prefix(), d.inverted());
      }
    }
    for (Match m : matches) {
      if (m instanceof Match.InInterface i && (!i.name().equals("+") || i.inverted())) {
        sb.append(i.inverted() ? " ! -i " : " -i ").append(i.name());
      }
    }
    for (Match m : matches) {
      if (m instanceof Match.OutInterface o && (!o.name().equals("+") || o.inverted())) {
        sb.append(o.inverted() ? " ! -o " : " -o ").append(o.name());
      }
    }
    for (Match m : matches) {
      if (m instanceof Match.Proto p) {
        sb.append(p.inverted() ? " ! -p " : " -p ").append(Protocols.text(p.number()));
      }
    }
    for (Match m : matches) {
      if (m instanceof Match.Fragment f) {
        sb.append(f.inverted() ? " ! -f" : " -f");
      }
    }
  }

  private static void address(StringBuilder sb, char letter, IpPrefix p, boolean inverted) {
    if (p.length() == 0 && !inverted && p.address().isUnspecified()) {
      return;
    }
    sb.append(inverted ? " ! -" : " -").append(letter).append(' ').append(p);
  }

  private static void match(StringBuilder sb, Match m) {
    switch (m) {
      case Match.Tcp t -> {
        ports(sb, "sport", t.sourcePorts());
        ports(sb, "dport", t.destinationPorts());
        t.flags()
            .ifPresent(
                f ->
                    sb.append(f.inverted() ? " !" : "")
                        .append(" --tcp-flags ")
                        .append(flags(f.value().mask()))
                        .append(' ')
                        .append(flags(f.value().set())));
      }
      case Match.Udp u -> {
        ports(sb, "sport", u.sourcePorts());
        ports(sb, "dport", u.destinationPorts());
      }
      case Match.Sctp sc -> SctpMatch.save(sb, sc);
      case Match.Icmp i ->
          i.type()
              .ifPresent(
                  t ->
                      sb.append(t.inverted() ? " !" : "")
                          .append(" --icmp-type ")
                          .append(IcmpTypes.save(t.value())));
      case Match.Icmp6 i ->
          i.type()
              .ifPresent(
                  t ->
                      sb.append(t.inverted() ? " !" : "")
                          .append(" --icmpv6-type ")
                          .append(IcmpTypes.save(t.value())));
      case Match.Multiport mp ->
          sb.append(mp.inverted() ? " !" : "")
              .append(" --")
              .append(multiportOption(mp.direction()))
              .append(' ')
              .append(portList(mp.ports(), ":"));
      case Match.Comment c -> sb.append(" --comment").append(quote(c.text()));
      case Match.Mark mk ->
          sb.append(mk.inverted() ? " !" : "")
              .append(" --mark ")
              .append(markMask(mk.value(), mk.mask()));
      case Match.ConnMark mk ->
          sb.append(mk.inverted() ? " !" : "")
              .append(" --mark ")
              .append(markMask(mk.value(), mk.mask()));
      case Match.Conntrack c -> ConntrackText.save(sb, c);
      case Match.State s ->
          sb.append(s.inverted() ? " !" : "")
              .append(" --state ")
              .append(ConntrackText.states(s.states(), false));
      case Match.AddrType a -> {
        a.sourceType()
            .ifPresent(
                t ->
                    sb.append(t.inverted() ? " !" : "")
                        .append(" --src-type ")
                        .append(ConntrackText.addressTypes(t.value())));
        a.destinationType()
            .ifPresent(
                t ->
                    sb.append(t.inverted() ? " !" : "")
                        .append(" --dst-type ")
                        .append(ConntrackText.addressTypes(t.value())));
        sb.append(a.limitIfaceIn() ? " --limit-iface-in" : "")
            .append(a.limitIfaceOut() ? " --limit-iface-out" : "");
      }
      case Match.Statistic s -> ConntrackText.statistic(sb, s, "--");
      case Match.Physdev p -> physdev(sb, p);
      case Match.Recent r -> ConntrackText.recentSave(sb, r);
      case Match.Nfacct n -> sb.append(" --nfacct-name ").append(n.name());
      case Match.IpSet s ->
          sb.append(s.inverted() ? " !" : "")
              .append(" --match-set ")
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

  static void physdev(StringBuilder sb, Match.Physdev p) {
    p.isIn().ifPresent(b -> sb.append(b ? "" : " !").append(" --physdev-is-in"));
    p.in()
        .ifPresent(
            n -> sb.append(n.inverted() ? " !" : "").append(" --physdev-in ").append(n.value()));
    p.isOut().ifPresent(b -> sb.append(b ? "" : " !").append(" --physdev-is-out"));
    p.out()
        .ifPresent(
            n -> sb.append(n.inverted() ? " !" : "").append(" --physdev-out ").append(n.value()));
    p.isBridged().ifPresent(b -> sb.append(b ? "" : " !").append(" --physdev-is-bridged"));
  }

  /** {@code [!] --OPTION P[:Q]}, written whenever the option was given. */
  static void ports(StringBuilder sb, String option, Optional<Negatable<PortRange>> r) {
    r.ifPresent(
        p ->
            sb.append(p.inverted() ? " !" : "")
                .append(" --")
                .append(option)
                .append(' ')
                .append(
                    p.value().isSingle()
                        ? Integer.toString(p.value().low())
                        : p.value().low() + ":" + p.value().high()));
  }

  static String multiportOption(Match.MultiportDirection d) {
    return switch (d) {
      case SOURCE -> "sports";
      case DESTINATION -> "dports";
      case EITHER -> "ports";
    };
  }

  static String portList(List<PortRange> ports, String dash) {
    StringJoiner j = new StringJoiner(",");
    for (PortRange p : ports) {
      j.add(p.isSingle() ? Integer.toString(p.low()) : p.low() + dash + p.high());
    }
    return j.toString();
  }

  static String flags(Collection<TcpFlag> flags) {
    StringJoiner j = new StringJoiner(",");
    for (TcpFlag f :
        List.of(
            TcpFlag.FIN,
            TcpFlag.SYN,
            TcpFlag.RST,
            TcpFlag.PSH,
            TcpFlag.ACK,
            TcpFlag.URG,
            TcpFlag.ECE,
            TcpFlag.CWR)) {
      if (flags.contains(f)) {
        j.add(f.name());
      }
    }
    return flags.isEmpty() ? "NONE" : j.toString();
  }

  static String markMask(int value, int mask) {
    return "0x"
        + Integer.toHexString(value)
        + (mask == 0xffffffff ? "" : "/0x" + Integer.toHexString(mask));
  }

  private static void target(StringBuilder sb, Target t) {
    switch (t) {
      case Target.None n -> {}
      case Target.Goto g -> sb.append(" -g ").append(g.chain());
      default -> {
        sb.append(" -j ").append(t.name());
        TargetText.save(sb, t);
      }
    }
  }

  /**
   * {@code xtables_save_string}: bare when only {@code [A-Za-z0-9_-]}, else double-quoted with
   * escapes.
   */
  static String quote(String value) {
    if (!value.isEmpty()
        && value
            .chars()
            .allMatch(
                c ->
                    c == '_'
                        || c == '-'
                        || (c >= '0' && c <= '9')
                        || (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z'))) {
      return " " + value;
    }
    StringBuilder sb = new StringBuilder(" \"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\' || c == '\'') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }
}
