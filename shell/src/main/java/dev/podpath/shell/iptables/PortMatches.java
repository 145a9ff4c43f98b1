package dev.podpath.shell.iptables;

import static dev.podpath.shell.iptables.Getopt.Arg.REQUIRED;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Protocol;
import dev.podpath.net.TcpFlag;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The matches about layer-4 headers: tcp, udp, icmp, icmp6 and multiport. */
final class PortMatches {

  private PortMatches() {}

  /** {@code -m tcp} and {@code -m udp}: ports, and for tcp the flags. */
  static final class Ports extends Extension<Match> {
    private final Protocol protocol;
    private Optional<Negatable<PortRange>> source = Optional.empty();
    private Optional<Negatable<PortRange>> destination = Optional.empty();
    private Optional<Negatable<Match.TcpFlags>> flags = Optional.empty();

    Ports(Protocol protocol) {
      super(protocol.iptablesName());
      this.protocol = protocol;
    }

    @Override
    List<Option> options() {
      List<Option> o =
          new ArrayList<>(
              List.of(
                  Option.of("source-port", REQUIRED, true, "sport"),
                  Option.of("destination-port", REQUIRED, true, "dport")));
      if (protocol == Protocol.TCP) {
        o.add(Option.of("syn", Getopt.Arg.NONE, true));
        o.add(Option.of("tcp-flags", REQUIRED, true));
      }
      return o;
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      switch (option) {
        case "source-port" -> {
          onlyOne(option);
          source = full(Values.portRange(arg, Optional.of(protocol)), invert);
        }
        case "destination-port" -> {
          onlyOne(option);
          destination = full(Values.portRange(arg, Optional.of(protocol)), invert);
        }
        case "syn" -> {
          onlyOneFlags();
          flags = Optional.of(new Negatable<>(Match.TcpFlags.SYN, invert));
        }
        default -> {
          onlyOneFlags();
          String comp =
              getopt
                  .takeValue()
                  .orElseThrow(() -> IptablesError.parameter("--tcp-flags requires two args."));
          flags =
              Optional.of(
                  new Negatable<>(new Match.TcpFlags(tcpFlags(arg), tcpFlags(comp)), invert));
        }
      }
    }

    private void onlyOneFlags() {
      if (flags.isPresent()) {
        throw IptablesError.parameter("Only one of `--syn' or `--tcp-flags'  allowed");
      }
    }

    private static Optional<Negatable<PortRange>> full(PortRange r, boolean invert) {
      return r.equals(PortRange.ALL) && !invert
          ? Optional.empty()
          : Optional.of(new Negatable<>(r, invert));
    }

    @Override
    Match build(Context ctx) {
      if (ctx.protocol().orElse(null) != protocol) {
        throw IptablesError.parameter(
            protocol.name() + " match requires '-p " + protocol.iptablesName() + "'");
      }
      return protocol == Protocol.TCP
          ? new Match.Tcp(source, destination, flags)
          : new Match.Udp(source, destination);
    }
  }

  /** The flags iptables' {@code ALL} means. */
  static final Set<TcpFlag> ALL_FLAGS =
      EnumSet.of(TcpFlag.FIN, TcpFlag.SYN, TcpFlag.RST, TcpFlag.PSH, TcpFlag.ACK, TcpFlag.URG);

  static Set<TcpFlag> tcpFlags(String text) {
    Set<TcpFlag> out = EnumSet.noneOf(TcpFlag.class);
    for (String f : text.split(",", -1)) {
      switch (f.toUpperCase(Locale.ROOT)) {
        case "ALL" -> out.addAll(ALL_FLAGS);
        case "NONE" -> {}
        case "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR" ->
            out.add(TcpFlag.valueOf(f.toUpperCase(Locale.ROOT)));
        default -> throw IptablesError.parameter("Unknown TCP flag `" + f + "'");
      }
    }
    return out;
  }

  /** {@code -m icmp --icmp-type} and {@code -m icmp6 --icmpv6-type}. */
  static final class Icmp extends Extension<Match> {
    private final IpFamily family;
    private Optional<Negatable<Match.IcmpType>> type = Optional.empty();

    Icmp(IpFamily family) {
      super(family == IpFamily.IPV4 ? "icmp" : "icmp6");
      this.family = family;
    }

    @Override
    List<Option> options() {
      return List.of(
          Option.of(family == IpFamily.IPV4 ? "icmp-type" : "icmpv6-type", REQUIRED, true));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      type = Optional.of(new Negatable<>(IcmpTypes.parse(family, arg), invert));
    }

    @Override
    Match build(Context ctx) {
      Protocol needed = family == IpFamily.IPV4 ? Protocol.ICMP : Protocol.ICMPV6;
      if (ctx.protocol().orElse(null) != needed) {
        throw IptablesError.parameter(
            family == IpFamily.IPV4
                ? "ICMP match requires '-p icmp'"
                : "ICMPv6 match requires '-p icmpv6'");
      }
      return family == IpFamily.IPV4 ? new Match.Icmp(type) : new Match.Icmp6(type);
    }
  }

  /** Protocols {@code -m multiport} takes: tcp, udp, udplite, sctp, dccp. */
  private static final Set<Integer> MULTIPORT_PROTOCOLS = Set.of(6, 17, 136, 132, 33);

  /** libxt_multiport's {@code check_proto}, run as each ports option is read. */
  private static void checkProtocol(Extension.Context ctx) {
    if (ctx.protocolInverted()) {
      throw IptablesError.parameter("multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP");
    }
    if (ctx.protocolNumber() == 0) {
      throw IptablesError.parameter(
          "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
    }
    if (!MULTIPORT_PROTOCOLS.contains(ctx.protocolNumber())) {
      throw IptablesError.parameter("multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP");
    }
  }

  /** {@code -m multiport}. */
  static final class Multiport extends Extension<Match> {
    private static final String[] ALL = {"source-ports", "destination-ports", "ports"};
    private Match.@Nullable MultiportDirection direction;
    private List<PortRange> ports = List.of();
    private boolean inverted;

    Multiport() {
      super("multiport");
    }

    @Override
    List<Option> options() {
      return List.of(
          Option.of("source-ports", REQUIRED, true, "sports"),
          Option.of("destination-ports", REQUIRED, true, "dports"),
          Option.of("ports", REQUIRED, true));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      checkProtocol(ctx);
      exclusive(option, ALL);
      direction =
          switch (option) {
            case "source-ports" -> Match.MultiportDirection.SOURCE;
            case "destination-ports" -> Match.MultiportDirection.DESTINATION;
            default -> Match.MultiportDirection.EITHER;
          };
      List<PortRange> list = new ArrayList<>();
      int slots = 0;
      for (String part : arg.split(",", -1)) {
        int colon = part.indexOf(':');
        PortRange r;
        if (colon < 0) {
          r = PortRange.of(Values.port(part, ctx.protocol()));
        } else {
          int low = Values.port(part.substring(0, colon), ctx.protocol());
          int high = Values.port(part.substring(colon + 1), ctx.protocol());
          if (low >= high) {
            throw IptablesError.parameter("invalid portrange specified");
          }
          r = new PortRange(low, high);
        }
        slots += r.isSingle() ? 1 : 2;
        if (slots > 15) {
          throw IptablesError.parameter("too many ports specified");
        }
        list.add(r);
      }
      ports = list;
      inverted = invert;
    }

    @Override
    Match build(Context ctx) {
      if (direction == null) {
        throw IptablesError.parameter("multiport expection an option");
      }
      return new Match.Multiport(direction, ports, inverted);
    }
  }
}
