package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.path.AddressType;
import dev.podpath.kernel.path.CtState;
import dev.podpath.net.IpPrefix;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/** The save and list forms of the state matches: conntrack, state, addrtype, statistic, recent. */
final class ConntrackText {

  private ConntrackText() {}

  private static final List<CtState> STATE_ORDER =
      List.of(
          CtState.INVALID,
          CtState.NEW,
          CtState.RELATED,
          CtState.ESTABLISHED,
          CtState.UNTRACKED,
          CtState.SNAT,
          CtState.DNAT);

  static String states(Set<CtState> states, boolean unused) {
    StringJoiner j = new StringJoiner(",");
    for (CtState s : STATE_ORDER) {
      if (states.contains(s)) {
        j.add(s.name());
      }
    }
    return j.toString();
  }

  static String addressTypes(Set<AddressType> types) {
    StringJoiner j = new StringJoiner(",");
    for (AddressType t : AddressType.values()) {
      if (types.contains(t)) {
        j.add(t.name());
      }
    }
    return j.toString();
  }

  private static String statuses(Set<Match.CtStatus> s) {
    StringJoiner j = new StringJoiner(",");
    for (Match.CtStatus c : Match.CtStatus.values()) {
      if (s.contains(c)) {
        j.add(c.name());
      }
    }
    return j.toString();
  }

  private static String address(IpPrefix p) {
    return p.isHost() ? p.address().toString() : p.toString();
  }

  private static String namedAddress(IpPrefix p) {
    if (p.family() == dev.podpath.net.IpFamily.IPV4 && p.address().isUnspecified()) {
      return "anywhere";
    }
    String a = Listing.name(p.address());
    return p.isHost() ? a : a + "/" + p.length();
  }

  private static String port(PortRange r) {
    return r.isSingle() ? Integer.toString(r.low()) : r.low() + ":" + r.high();
  }

  /**
   * The conntrack options in the extension's order; {@code prefix} is {@code --} for the save form
   * and empty for the list form.
   */
  private static void conntrack(StringBuilder sb, Match.Conntrack c, String prefix) {
    conntrack(sb, c, prefix, ConntrackText::address);
  }

  private static void conntrack(
      StringBuilder sb,
      Match.Conntrack c,
      String prefix,
      java.util.function.Function<IpPrefix, String> address) {
    opt(sb, prefix, "ctstate", c.states().map(n -> map(n, s -> states(s, false))));
    opt(sb, prefix, "ctproto", c.protocol().map(n -> map(n, p -> Integer.toString(p.number()))));
    opt(sb, prefix, "ctorigsrc", c.originalSource().map(n -> map(n, address)));
    opt(sb, prefix, "ctorigdst", c.originalDestination().map(n -> map(n, address)));
    opt(sb, prefix, "ctreplsrc", c.replySource().map(n -> map(n, address)));
    opt(sb, prefix, "ctrepldst", c.replyDestination().map(n -> map(n, address)));
    opt(sb, prefix, "ctorigsrcport", c.originalSourcePort().map(n -> map(n, ConntrackText::port)));
    opt(
        sb,
        prefix,
        "ctorigdstport",
        c.originalDestinationPort().map(n -> map(n, ConntrackText::port)));
    opt(sb, prefix, "ctreplsrcport", c.replySourcePort().map(n -> map(n, ConntrackText::port)));
    opt(
        sb,
        prefix,
        "ctrepldstport",
        c.replyDestinationPort().map(n -> map(n, ConntrackText::port)));
    opt(sb, prefix, "ctstatus", c.status().map(n -> map(n, ConntrackText::statuses)));
    c.direction().ifPresent(d -> sb.append(' ').append(prefix).append("ctdir ").append(d.name()));
  }

  private static void opt(
      StringBuilder sb, String prefix, String name, Optional<Negatable<String>> v) {
    v.ifPresent(
        n ->
            sb.append(n.inverted() ? " !" : "")
                .append(' ')
                .append(prefix)
                .append(name)
                .append(' ')
                .append(n.value()));
  }

  private static <A> Negatable<String> map(
      Negatable<A> n, java.util.function.Function<A, String> f) {
    return new Negatable<>(f.apply(n.value()), n.inverted());
  }

  static void save(StringBuilder sb, Match.Conntrack c) {
    conntrack(sb, c, "--");
  }

  /** The list form; without {@code -n} addresses are named and 0.0.0.0 is "anywhere". */
  static void print(StringBuilder sb, Match.Conntrack c, boolean numeric) {
    conntrack(sb, c, "", numeric ? ConntrackText::address : ConntrackText::namedAddress);
  }

  /** {@code -m statistic}: {@code prefix} is {@code --} to save and empty to list. */
  static void statistic(StringBuilder sb, Match.Statistic s, String prefix) {
    String inv = s.inverted() ? " !" : "";
    if (s.mode() == Match.StatisticMode.RANDOM) {
      sb.append(' ')
          .append(prefix)
          .append("mode random")
          .append(inv)
          .append(' ')
          .append(prefix)
          .append("probability ")
          .append(String.format(Locale.ROOT, "%.11f", s.probability()));
    } else {
      sb.append(' ')
          .append(prefix)
          .append("mode nth")
          .append(inv)
          .append(' ')
          .append(prefix)
          .append("every ")
          .append(s.every());
      if (s.packet() != 0 || !prefix.isEmpty()) {
        sb.append(' ').append(prefix).append("packet ").append(s.packet());
      }
    }
  }

  static void recentSave(StringBuilder sb, Match.Recent r) {
    sb.append(r.inverted() ? " !" : "")
        .append(" --")
        .append(r.command().name().toLowerCase(Locale.ROOT));
    r.seconds().ifPresent(s -> sb.append(" --seconds ").append(s));
    sb.append(r.reap() ? " --reap" : "");
    r.hitCount().ifPresent(h -> sb.append(" --hitcount ").append(h));
    sb.append(r.rttl() ? " --rttl" : "");
    sb.append(" --name ").append(r.name()).append(" --mask ").append(r.mask());
    sb.append(r.side() == Match.RecentSide.SOURCE ? " --rsource" : " --rdest");
  }

  static void recentPrint(StringBuilder sb, Match.Recent r) {
    sb.append(r.inverted() ? " !" : "")
        .append(" recent:")
        .append(
            switch (r.command()) {
              case SET -> " SET";
              case RCHECK -> " CHECK";
              case UPDATE -> " UPDATE";
              case REMOVE -> " REMOVE";
            });
    r.seconds().ifPresent(s -> sb.append(" seconds: ").append(s));
    sb.append(r.reap() ? " reap" : "");
    r.hitCount().ifPresent(h -> sb.append(" hit_count: ").append(h));
    sb.append(r.rttl() ? " TTL-Match" : "");
    sb.append(" name: ").append(r.name());
    sb.append(r.side() == Match.RecentSide.SOURCE ? " side: source" : " side: dest");
    sb.append(" mask: ").append(r.mask());
  }
}
