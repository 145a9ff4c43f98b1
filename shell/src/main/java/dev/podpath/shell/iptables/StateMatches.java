package dev.podpath.shell.iptables;

import static dev.podpath.shell.iptables.Getopt.Arg.NONE;
import static dev.podpath.shell.iptables.Getopt.Arg.REQUIRED;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.path.AddressType;
import dev.podpath.kernel.path.CtState;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Protocol;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The matches on connection state and packet history: conntrack, state, addrtype, statistic,
 * recent.
 */
final class StateMatches {

  private StateMatches() {}

  static <E extends Enum<E>> Set<E> names(Class<E> type, String text, String what) {
    Set<E> out = EnumSet.noneOf(type);
    for (String s : text.split(",", -1)) {
      try {
        out.add(Enum.valueOf(type, s.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw IptablesError.parameter(what + "\"" + s + "\"");
      }
    }
    return out;
  }

  /** {@code -m conntrack}. */
  static final class Conntrack extends Extension<Match> {
    private final Match.Conntrack.Builder b = Match.Conntrack.builder();

    Conntrack() {
      super("conntrack");
    }

    @Override
    List<Option> options() {
      return List.of(
          Option.of("ctstate", REQUIRED, true), Option.of("ctproto", REQUIRED, true),
          Option.of("ctorigsrc", REQUIRED, true), Option.of("ctorigdst", REQUIRED, true),
          Option.of("ctreplsrc", REQUIRED, true), Option.of("ctrepldst", REQUIRED, true),
          Option.of("ctorigsrcport", REQUIRED, true), Option.of("ctorigdstport", REQUIRED, true),
          Option.of("ctreplsrcport", REQUIRED, true), Option.of("ctrepldstport", REQUIRED, true),
          Option.of("ctstatus", REQUIRED, true), Option.of("ctdir", REQUIRED, false));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      once(option);
      IpFamily f = ctx.family();
      switch (option) {
        case "ctstate" ->
            b.states(new Negatable<>(names(CtState.class, arg, "Bad ctstate "), invert));
        case "ctproto" -> {
          Protocol p =
              Values.protocol(arg)
                  .orElseThrow(
                      () -> IptablesError.parameter("conntrack: --ctproto 0 is not supported"));
          b.protocol(new Negatable<>(p, invert));
        }
        case "ctorigsrc" -> b.originalSource(new Negatable<>(Values.prefix(f, arg), invert));
        case "ctorigdst" -> b.originalDestination(new Negatable<>(Values.prefix(f, arg), invert));
        case "ctreplsrc" -> b.replySource(new Negatable<>(Values.prefix(f, arg), invert));
        case "ctrepldst" -> b.replyDestination(new Negatable<>(Values.prefix(f, arg), invert));
        case "ctorigsrcport" ->
            b.originalSourcePort(new Negatable<>(Values.portRange(arg, Optional.empty()), invert));
        case "ctorigdstport" ->
            b.originalDestinationPort(
                new Negatable<>(Values.portRange(arg, Optional.empty()), invert));
        case "ctreplsrcport" ->
            b.replySourcePort(new Negatable<>(Values.portRange(arg, Optional.empty()), invert));
        case "ctrepldstport" ->
            b.replyDestinationPort(
                new Negatable<>(Values.portRange(arg, Optional.empty()), invert));
        case "ctstatus" ->
            b.status(new Negatable<>(names(Match.CtStatus.class, arg, "Bad ctstatus "), invert));
        default ->
            b.direction(
                switch (arg.toUpperCase(Locale.ROOT)) {
                  case "ORIGINAL" -> Match.CtDirection.ORIGINAL;
                  case "REPLY" -> Match.CtDirection.REPLY;
                  default -> throw IptablesError.parameter("Unknown --ctdir \"" + arg + "\"");
                });
      }
    }

    @Override
    Match build(Context ctx) {
      Match.Conntrack m = b.build();
      if (m.equals(Match.Conntrack.builder().build())) {
        throw IptablesError.parameter("conntrack: At least one option is required");
      }
      return m;
    }
  }

  /** {@code -m state [!] --state STATES}. */
  static final class State extends Extension<Match> {
    private Set<CtState> states = Set.of();
    private boolean inverted;

    State() {
      super("state");
    }

    @Override
    List<Option> options() {
      return List.of(Option.of("state", REQUIRED, true));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      once(option);
      states = names(CtState.class, arg, "Bad state ");
      if (states.contains(CtState.SNAT) || states.contains(CtState.DNAT)) {
        String bad = states.contains(CtState.SNAT) ? "SNAT" : "DNAT";
        for (String s : arg.split(",", -1)) {
          if (s.equalsIgnoreCase("SNAT") || s.equalsIgnoreCase("DNAT")) {
            bad = s;
            break;
          }
        }
        throw IptablesError.parameter("Bad state \"" + bad + "\"");
      }
      inverted = invert;
    }

    @Override
    Match build(Context ctx) {
      mandatory("state");
      return new Match.State(states, inverted);
    }
  }

  /** {@code -m addrtype}. */
  static final class AddrType extends Extension<Match> {
    private Optional<Negatable<Set<AddressType>>> src = Optional.empty();
    private Optional<Negatable<Set<AddressType>>> dst = Optional.empty();
    private boolean limitIn;
    private boolean limitOut;

    AddrType() {
      super("addrtype");
    }

    @Override
    List<Option> options() {
      return List.of(
          Option.of("src-type", REQUIRED, true), Option.of("dst-type", REQUIRED, true),
          Option.of("limit-iface-in", NONE, false), Option.of("limit-iface-out", NONE, false));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      switch (option) {
        case "src-type" -> src = Optional.of(new Negatable<>(types(arg), invert));
        case "dst-type" -> dst = Optional.of(new Negatable<>(types(arg), invert));
        case "limit-iface-in" -> limitIn = true;
        default -> limitOut = true;
      }
    }

    private static Set<AddressType> types(String text) {
      return names(AddressType.class, text, "addrtype: bad type ");
    }

    @Override
    Match build(Context ctx) {
      if (src.isEmpty() && dst.isEmpty()) {
        throw IptablesError.parameter("addrtype: you must specify --src-type or --dst-type");
      }
      if (limitIn && limitOut) {
        throw IptablesError.parameter(
            "addrtype: you can't specify both --limit-iface-in and --limit-iface-out");
      }
      return new Match.AddrType(src, dst, limitIn, limitOut);
    }
  }

  /** {@code -m statistic}. */
  static final class Statistic extends Extension<Match> {
    private Match.@Nullable StatisticMode mode;
    private double probability = -1;
    private int every;
    private int packet;
    private boolean inverted;

    Statistic() {
      super("statistic");
    }

    @Override
    List<Option> options() {
      return List.of(
          Option.of("mode", REQUIRED, false), Option.of("probability", REQUIRED, true),
          Option.of("every", REQUIRED, true), Option.of("packet", REQUIRED, false));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      once(option);
      switch (option) {
        case "mode" ->
            mode =
                switch (arg) {
                  case "random" -> Match.StatisticMode.RANDOM;
                  case "nth" -> Match.StatisticMode.NTH;
                  default -> throw IptablesError.parameter("Bad mode \"" + arg + "\"");
                };
        case "probability" -> {
          double p;
          try {
            p = Double.parseDouble(arg);
          } catch (NumberFormatException e) {
            p = -1;
          }
          if (!(p >= 0 && p <= 1)) {
            throw IptablesError.parameter(
                "statistic: bad value for option \"--probability\", or out of range (0-1).\n");
          }
          probability = Math.round(0x80000000L * p) / (double) 0x80000000L;
          inverted = invert;
        }
        case "every" -> {
          every = u32(option, arg);
          inverted = invert;
        }
        default -> packet = u32(option, arg);
      }
    }

    @Override
    Match build(Context ctx) {
      if (mode == null) {
        throw IptablesError.parameter("no mode specified");
      }
      if (mode == Match.StatisticMode.RANDOM && probability < 0) {
        throw IptablesError.parameter("--probability must be specified when using random mode");
      }
      if (mode == Match.StatisticMode.NTH && (every == 0 || packet >= every)) {
        throw IptablesError.parameter(
            every == 0
                ? "--every must be specified when using nth mode"
                : "the --packet p must be 0 <= p <= n-1");
      }
      requires("every", "packet");
      return mode == Match.StatisticMode.RANDOM
          ? new Match.Statistic(mode, probability, 0, 0, inverted)
          : new Match.Statistic(mode, 0, every, packet, inverted);
    }
  }

  /** {@code -m recent}. */
  static final class Recent extends Extension<Match> {
    private static final List<String> COMMANDS = List.of("set", "rcheck", "update", "remove");
    private Match.@Nullable RecentCommand command;
    private boolean inverted;
    private Optional<Long> seconds = Optional.empty();
    private Optional<Integer> hitCount = Optional.empty();
    private boolean reap;
    private boolean rttl;
    private String listName = "DEFAULT";
    private Match.RecentSide side = Match.RecentSide.SOURCE;
    private @Nullable IpAddress mask;

    Recent() {
      super("recent");
    }

    @Override
    List<Option> options() {
      return List.of(
          Option.of("set", NONE, true), Option.of("rcheck", NONE, true),
          Option.of("update", NONE, true), Option.of("remove", NONE, true),
          Option.of("seconds", REQUIRED, false), Option.of("reap", NONE, false),
          Option.of("hitcount", REQUIRED, false), Option.of("rttl", NONE, false),
          Option.of("name", REQUIRED, false), Option.of("rsource", NONE, false),
          Option.of("rdest", NONE, false), Option.of("mask", REQUIRED, false));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      switch (option) {
        case "set", "rcheck", "update", "remove" -> {
          command = Match.RecentCommand.valueOf(option.toUpperCase(Locale.ROOT));
          inverted = invert;
        }
        case "seconds" -> seconds = Optional.of((long) u32(option, arg) & 0xffffffffL);
        case "reap" -> reap = true;
        case "hitcount" -> hitCount = Optional.of(u32(option, arg));
        case "rttl" -> rttl = true;
        case "name" -> listName = arg;
        case "rsource" -> side = Match.RecentSide.SOURCE;
        case "rdest" -> side = Match.RecentSide.DEST;
        default ->
            mask =
                Values.address(ctx.family(), arg)
                    .orElseThrow(
                        () -> IptablesError.parameter("recent: bad value for option \"--mask\"\n"));
      }
    }

    @Override
    Match build(Context ctx) {
      if (command == null) {
        throw IptablesError.parameter(
            "recent: you must specify one of `--set', `--rcheck' `--update' or `--remove'");
      }
      for (int i = 0; i < COMMANDS.size(); i++) {
        for (int j = i + 1; j < COMMANDS.size(); j++) {
          if (given(COMMANDS.get(i)) && given(COMMANDS.get(j))) {
            throw IptablesError.parameter(
                "recent: option \"--"
                    + COMMANDS.get(i)
                    + "\" cannot be used together with \"--"
                    + COMMANDS.get(j)
                    + "\".\n");
          }
        }
      }
      requires("reap", "seconds");
      IpAddress m =
          mask != null
              ? mask
              : IpAddress.fromBigInteger(
                  ctx.family(),
                  java.math.BigInteger.ONE
                      .shiftLeft(ctx.family().bits())
                      .subtract(java.math.BigInteger.ONE));
      try {
        return new Match.Recent(
            listName, command, seconds, reap, hitCount, rttl, side, m, inverted);
      } catch (IllegalArgumentException e) {
        throw IptablesError.parameter(e.getMessage());
      }
    }
  }
}
