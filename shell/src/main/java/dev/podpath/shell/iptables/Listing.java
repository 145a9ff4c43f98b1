package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Protocol;
import dev.podpath.shell.iptables.TableDraft.ChainDraft;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code iptables -L} (the table of rules) and {@code iptables -S} (the rules as commands). */
final class Listing {

  private Listing() {}

  /** {@code -S [CHAIN [N]]}. */
  static String rules(List<ChainDraft> chains, int number, boolean verbose, boolean oneChain) {
    StringBuilder sb = new StringBuilder();
    if (number > 0) {
      ChainDraft c = chains.get(0);
      if (number <= c.rules.size()) {
        Rule r = c.rules.get(number - 1);
        sb.append(RuleText.of(c.name, r, verbose ? Optional.of(r.counters()) : Optional.empty()))
            .append('\n');
      }
      return sb.toString();
    }
    for (ChainDraft c : chains) {
      if (c.isBuiltin()) {
        sb.append("-P ").append(c.name).append(' ').append(c.policy.orElseThrow());
        if (verbose) {
          sb.append(" -c ")
              .append(Long.toUnsignedString(c.counters.packets()))
              .append(' ')
              .append(Long.toUnsignedString(c.counters.bytes()));
        }
        sb.append('\n');
      }
    }
    for (ChainDraft c : chains) {
      if (!c.isBuiltin()) {
        sb.append("-N ").append(c.name).append('\n');
      }
    }
    for (ChainDraft c : chains) {
      for (Rule r : c.rules) {
        sb.append(RuleText.of(c.name, r, verbose ? Optional.of(r.counters()) : Optional.empty()))
            .append('\n');
      }
    }
    return sb.toString();
  }

  /** {@code -L [CHAIN [N]]}. */
  static String list(TableDraft draft, List<ChainDraft> chains, int number, Command.Format f) {
    StringBuilder sb = new StringBuilder();
    if (number > 0) {
      ChainDraft c = chains.get(0);
      if (number <= c.rules.size()) {
        line(sb, draft.family, c.rules.get(number - 1), number, f);
      }
      return sb.toString();
    }
    boolean first = true;
    Map<String, Integer> refs = draft.referenceCounts();
    for (ChainDraft c : chains) {
      if (!first) {
        sb.append('\n');
      }
      first = false;
      header(sb, c, refs.getOrDefault(c.name, 0), f);
      for (int i = 0; i < c.rules.size(); i++) {
        line(sb, draft.family, c.rules.get(i), i + 1, f);
      }
    }
    return sb.toString();
  }

  private static void header(StringBuilder sb, ChainDraft c, int refs, Command.Format f) {
    sb.append("Chain ").append(c.name);
    if (c.isBuiltin()) {
      sb.append(" (policy ").append(c.policy.orElseThrow());
      if (f.verbose()) {
        sb.append(' ')
            .append(number(c.counters.packets(), f.exact(), true))
            .append("packets, ")
            .append(number(c.counters.bytes(), f.exact(), true))
            .append("bytes");
      }
      sb.append(")\n");
    } else {
      sb.append(" (").append(refs).append(" references)\n");
    }
    if (f.lineNumbers()) {
      sb.append("num  ");
    }
    if (f.verbose()) {
      sb.append(f.exact() ? "    pkts      bytes " : " pkts bytes ");
    }
    sb.append("target    ").append(" prot ").append("opt");
    if (f.verbose()) {
      sb.append(" in     ").append("out    ");
    }
    sb.append(" source              ").append(" destination         ").append('\n');
  }

  /** {@code xtables_print_num}: exact, or cut to K/M/G/T with C's unsigned arithmetic. */
  static String number(long n, boolean exact, boolean notable) {
    if (exact) {
      return notable ? Long.toUnsignedString(n) + " " : pad(Long.toUnsignedString(n), 8) + " ";
    }
    if (Long.compareUnsigned(n, 99999) <= 0) {
      return notable ? n + " " : pad(Long.toString(n), 5) + " ";
    }
    String[] units = {"K", "M", "G", "T"};
    long v = n;
    for (int i = 0; i < units.length; i++) {
      v = Long.divideUnsigned(v + 500, 1000);
      if (Long.compareUnsigned(v, 9999) <= 0 || i == units.length - 1) {
        String s = Long.toUnsignedString(v);
        return notable ? s + units[i] + " " : pad(s, 4) + units[i] + " ";
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }

  private static String padRight(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  private static void line(StringBuilder sb, IpFamily family, Rule r, int num, Command.Format f) {
    if (f.lineNumbers()) {
      sb.append(padRight(Integer.toString(num), 4)).append(' ');
    }
    Counters c = r.counters();
    if (f.verbose()) {
      sb.append(number(c.packets(), f.exact(), false)).append(number(c.bytes(), f.exact(), false));
    }
    sb.append(padRight(TargetText.column(r.target()), 9)).append(' ');
    Optional<Match.Proto> proto =
        r.matches().stream()
            .filter(Match.Proto.class::isInstance)
            .map(Match.Proto.class::cast)
            .findFirst();
    sb.append(proto.map(Match.Proto::inverted).orElse(false) ? '!' : ' ');
    String pname =
        proto
            .map(p -> f.numeric() ? Integer.toString(p.number()) : Protocols.text(p.number()))
            .orElse(f.numeric() ? "0" : "all");
    sb.append(padRight(pname, 4)).append(' ');
    sb.append(fragmentOption(r)).append(' ');
    if (f.verbose()) {
      String any = f.numeric() ? "*" : "any";
      String in = any;
      String out = any;
      for (Match m : r.matches()) {
        if (m instanceof Match.InInterface i) {
          in = (i.inverted() ? "!" : "") + i.name();
        } else if (m instanceof Match.OutInterface o) {
          out = (o.inverted() ? "!" : "") + o.name();
        }
      }
      sb.append(' ').append(padRight(in, 6)).append(' ').append(padRight(out, 6)).append(' ');
    }
    IpPrefix any =
        new IpPrefix(
            family == IpFamily.IPV4
                ? dev.podpath.net.Ipv4Address.ANY
                : dev.podpath.net.IpAddress.parse("::"),
            0);
    IpPrefix src = any;
    IpPrefix dst = any;
    boolean invSrc = false;
    boolean invDst = false;
    for (Match m : r.matches()) {
      if (m instanceof Match.Source s) {
        src = s.prefix();
        invSrc = s.inverted();
      } else if (m instanceof Match.Destination d) {
        dst = d.prefix();
        invDst = d.inverted();
      }
    }
    sb.append(invSrc ? '!' : ' ').append(padRight(address(src, f.numeric()), 19)).append(' ');
    sb.append(invDst ? '!' : ' ').append(padRight(address(dst, f.numeric()), 19)).append(' ');
    if (r.target() instanceof Target.Goto) {
      sb.append("[goto] ");
    }
    Optional<Protocol> p = proto.flatMap(Match.Proto::protocol);
    for (Match m : r.matches()) {
      MatchListText.print(sb, m, family, f.numeric(), p);
    }
    TargetText.print(sb, r.target(), f.numeric());
    sb.append('\n');
  }

  /** The {@code opt} column: {@code --}, {@code -f} or {@code !f}. */
  private static String fragmentOption(Rule r) {
    for (Match m : r.matches()) {
      if (m instanceof Match.Fragment f) {
        return f.inverted() ? "!f" : "-f";
      }
    }
    return "--";
  }

  /**
   * The names {@code -L} without {@code -n} shows for addresses: {@code /etc/hosts} and {@code
   * /etc/networks} of a stock Debian (no DNS in podpath).
   */
  private static final Map<String, String> NAMES =
      Map.of(
          "127.0.0.1",
          "localhost",
          "0.0.0.0",
          "default",
          "127.0.0.0",
          "loopback",
          "169.254.0.0",
          "link-local");

  /** An address as {@code xtables_ipaddr_to_anyname} gives it (IPv4 names only). */
  static String name(dev.podpath.net.IpAddress a) {
    String text = a.toString();
    return a.family() == IpFamily.IPV4 ? NAMES.getOrDefault(text, text) : text;
  }

  /**
   * The line {@code iptables -v} prints for each rule it adds or deletes ({@code FMT_PRINT_RULE}).
   */
  static void printRule(StringBuilder sb, IpFamily family, Rule r) {
    sb.append(TargetText.column(r.target())).append(' ');
    Optional<Match.Proto> proto =
        r.matches().stream()
            .filter(Match.Proto.class::isInstance)
            .map(Match.Proto.class::cast)
            .findFirst();
    sb.append(proto.map(Match.Proto::inverted).orElse(false) ? '!' : ' ')
        .append(proto.map(p -> Protocols.shortText(p.number())).orElse("all"))
        .append(' ');
    sb.append("opt ").append(fragmentOption(r)).append(' ');
    String in = "*";
    String out = "*";
    IpPrefix any =
        new IpPrefix(
            family == IpFamily.IPV4
                ? dev.podpath.net.Ipv4Address.ANY
                : dev.podpath.net.IpAddress.parse("::"),
            0);
    IpPrefix src = any;
    IpPrefix dst = any;
    boolean invSrc = false;
    boolean invDst = false;
    for (Match m : r.matches()) {
      switch (m) {
        case Match.InInterface i -> in = (i.inverted() ? "!" : "") + i.name();
        case Match.OutInterface o -> out = (o.inverted() ? "!" : "") + o.name();
        case Match.Source s -> {
          src = s.prefix();
          invSrc = s.inverted();
        }
        case Match.Destination d -> {
          dst = d.prefix();
          invDst = d.inverted();
        }
        default -> {}
      }
    }
    sb.append("in ").append(in).append(" out ").append(out).append(' ');
    sb.append(invSrc ? '!' : ' ').append(address(src, true)).append(' ');
    sb.append(invDst ? '!' : ' ').append("-> ").append(address(dst, true)).append("  ");
    if (r.target() instanceof Target.Goto) {
      sb.append("[goto] ");
    }
    for (Match m : r.matches()) {
      MatchListText.print(sb, m, family, true, Optional.empty());
    }
    TargetText.print(sb, r.target(), true);
    sb.append('\n');
  }

  private static String address(IpPrefix p, boolean numeric) {
    boolean anywhere = p.family() == IpFamily.IPV4 ? p.length() == 0 : p.address().isUnspecified();
    if (anywhere && !numeric) {
      return "anywhere";
    }
    String addr = numeric ? p.address().toString() : name(p.address());
    return p.isHost() ? addr : addr + "/" + p.length();
  }

  /** A port as {@code -L} shows it: the protocol's service name unless {@code -n}. */
  static String port(int port, boolean numeric, Optional<Protocol> protocol) {
    return numeric
        ? Integer.toString(port)
        : Values.serviceName(port, protocol).orElse(Integer.toString(port));
  }

  static String ports(PortRange r, boolean numeric, Optional<Protocol> protocol) {
    return r.isSingle()
        ? port(r.low(), numeric, protocol)
        : port(r.low(), numeric, protocol) + ":" + port(r.high(), numeric, protocol);
  }

  static boolean isProtocol(Optional<Protocol> p, Protocol q) {
    return p.isPresent() && p.get() == q;
  }
}
