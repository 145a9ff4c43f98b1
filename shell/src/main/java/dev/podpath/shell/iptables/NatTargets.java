package dev.podpath.shell.iptables;

import static dev.podpath.shell.iptables.Getopt.Arg.NONE;
import static dev.podpath.shell.iptables.Getopt.Arg.REQUIRED;

import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The NAT targets: DNAT, SNAT, MASQUERADE, REDIRECT, and their range syntax. */
final class NatTargets {

  private NatTargets() {}

  /** Protocols a NAT range may have ports with: tcp, udp, sctp, dccp, icmp (inverted or not). */
  private static final java.util.Set<Integer> PORT_PROTOCOLS = java.util.Set.of(6, 17, 132, 33, 1);

  /** Whether a rule's protocol allows a port in a NAT range (as libxt_DNAT decides). */
  private static void checkPorts(Extension.Context ctx) {
    if (!PORT_PROTOCOLS.contains(ctx.protocolNumber())) {
      throw IptablesError.parameter("Need TCP, UDP, SCTP or DCCP with port specification");
    }
  }

  /** {@code P} or {@code P-Q}. */
  static PortRange ports(String text) {
    int dash = text.indexOf('-');
    int low = port(dash < 0 ? text : text.substring(0, dash));
    int high = dash < 0 ? low : port(text.substring(dash + 1));
    if (low > high) {
      throw IptablesError.parameter("Port range `" + text + "' invalid");
    }
    return new PortRange(low, high);
  }

  private static int port(String text) {
    var n = Values.number(text, 65535);
    if (n.isEmpty()) {
      throw IptablesError.parameter("Port `" + text + "' not valid");
    }
    return (int) n.getAsLong();
  }

  /** {@code [ADDR[-ADDR]][:PORT[-PORT]]}, IPv6 addresses in brackets when a port follows. */
  static Target.NatRange range(IpFamily family, String text, Extension.Context ctx) {
    String addrs = text;
    Optional<PortRange> ports = Optional.empty();
    int colon = family == IpFamily.IPV4 ? text.indexOf(':') : portColon(text);
    if (colon >= 0) {
      checkPorts(ctx);
      ports = Optional.of(ports(text.substring(colon + 1)));
      addrs = text.substring(0, colon);
    }
    if (addrs.isEmpty()) {
      return new Target.NatRange(Optional.empty(), Optional.empty(), ports);
    }
    String[] ends = family == IpFamily.IPV4 ? addrs.split("-", 2) : splitV6(addrs);
    IpAddress first = address(family, ends[0]);
    IpAddress last = ends.length > 1 ? address(family, ends[1]) : first;
    if (first.compareTo(last) > 0) {
      throw IptablesError.parameter("Bad IP address range \"" + addrs + "\"");
    }
    return new Target.NatRange(Optional.of(first), Optional.of(last), ports);
  }

  private static int portColon(String text) {
    int close = text.lastIndexOf(']');
    return close >= 0 && close + 1 < text.length() && text.charAt(close + 1) == ':'
        ? close + 1
        : -1;
  }

  private static String[] splitV6(String addrs) {
    String a = addrs;
    int dash = a.indexOf("]-[");
    String[] parts =
        dash >= 0
            ? new String[] {a.substring(0, dash + 1), a.substring(dash + 2)}
            : a.split("-", 2);
    for (int i = 0; i < parts.length; i++) {
      parts[i] = parts[i].replace("[", "").replace("]", "");
    }
    return parts;
  }

  private static IpAddress address(IpFamily family, String text) {
    return Values.address(family, text)
        .filter(a -> text.chars().filter(c -> c == '.').count() == 3 || family == IpFamily.IPV6)
        .orElseThrow(() -> IptablesError.parameter("Bad IP address \"" + text + "\""));
  }

  /** {@code -j DNAT} and {@code -j SNAT}. */
  static final class Nat extends Extension<Target> {
    private final boolean destination;
    private Target.@Nullable NatRange range;
    private boolean random;
    private boolean randomFully;
    private boolean persistent;

    Nat(boolean destination) {
      super(destination ? "DNAT" : "SNAT");
      this.destination = destination;
    }

    @Override
    List<Option> options() {
      return destination
          ? List.of(
              Option.of("to-destination", REQUIRED, false),
              Option.of("random", NONE, false),
              Option.of("persistent", NONE, false))
          : List.of(
              Option.of("to-source", REQUIRED, false),
              Option.of("random", NONE, false),
              Option.of("random-fully", NONE, false),
              Option.of("persistent", NONE, false));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      switch (option) {
        case "to-destination", "to-source" -> range = range(ctx.family(), arg, ctx);
        case "random" -> random = true;
        case "random-fully" -> randomFully = true;
        default -> persistent = true;
      }
    }

    @Override
    Target build(Context ctx) {
      mandatory(destination ? "to-destination" : "to-source");
      return destination
          ? new Target.Dnat(range, random, persistent)
          : new Target.Snat(range, random, randomFully, persistent);
    }
  }

  /** {@code -j MASQUERADE} and {@code -j REDIRECT}. */
  static final class ToPorts extends Extension<Target> {
    private final boolean masquerade;
    private Optional<PortRange> ports = Optional.empty();
    private boolean random;
    private boolean randomFully;

    ToPorts(boolean masquerade) {
      super(masquerade ? "MASQUERADE" : "REDIRECT");
      this.masquerade = masquerade;
    }

    @Override
    List<Option> options() {
      return masquerade
          ? List.of(
              Option.of("to-ports", REQUIRED, false),
              Option.of("random", NONE, false),
              Option.of("random-fully", NONE, false))
          : List.of(Option.of("to-ports", REQUIRED, false), Option.of("random", NONE, false));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      switch (option) {
        case "to-ports" -> {
          checkPorts(ctx);
          ports = Optional.of(ports(arg));
        }
        case "random" -> random = true;
        default -> randomFully = true;
      }
    }

    @Override
    Target build(Context ctx) {
      return masquerade
          ? new Target.Masquerade(ports, random, randomFully)
          : new Target.Redirect(ports, random);
    }
  }
}
