package dev.podpath.shell.iptables;

import static dev.podpath.shell.iptables.Getopt.Arg.NONE;
import static dev.podpath.shell.iptables.Getopt.Arg.REQUIRED;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The matches on marks, names and bridge ports: comment, mark, connmark, nfacct, set, physdev. */
final class SimpleMatches {

  private SimpleMatches() {}

  /** {@code -m comment --comment TEXT} (cut to 255 characters, as the kernel struct holds). */
  static final class Comment extends Extension<Match> {
    private String text = "";

    Comment() {
      super("comment");
    }

    @Override
    List<Option> options() {
      return List.of(Option.of("comment", REQUIRED, false));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      once(option);
      text = arg.length() > 255 ? arg.substring(0, 255) : arg;
    }

    @Override
    Match build(Context ctx) {
      mandatory("comment");
      return new Match.Comment(text);
    }
  }

  /** {@code -m mark} and {@code -m connmark}: {@code [!] --mark VALUE[/MASK]}. */
  static final class Mark extends Extension<Match> {
    private final boolean conn;
    private int value;
    private int mask;
    private boolean inverted;

    Mark(boolean conn) {
      super(conn ? "connmark" : "mark");
      this.conn = conn;
    }

    @Override
    List<Option> options() {
      return List.of(Option.of("mark", REQUIRED, true));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      once(option);
      int[] vm = markMask(option, arg);
      value = vm[0];
      mask = vm[1];
      inverted = invert;
    }

    @Override
    Match build(Context ctx) {
      mandatory("mark");
      return conn
          ? new Match.ConnMark(value, mask, inverted)
          : new Match.Mark(value, mask, inverted);
    }
  }

  /** {@code -m nfacct --nfacct-name NAME}. */
  static final class Nfacct extends Extension<Match> {
    private String account = "";

    Nfacct() {
      super("nfacct");
    }

    @Override
    List<Option> options() {
      return List.of(Option.of("nfacct-name", REQUIRED, false));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      once(option);
      account = arg;
    }

    @Override
    Match build(Context ctx) {
      mandatory("nfacct-name");
      return new Match.Nfacct(account);
    }
  }

  /** {@code -m set [!] --match-set NAME src|dst[,…]}: the set must exist when the rule is read. */
  static final class IpSet extends Extension<Match> {
    private String setName = "";
    private List<Match.SetDirection> directions = List.of();
    private boolean inverted;

    IpSet() {
      super("set");
    }

    @Override
    List<Option> options() {
      return List.of(Option.of("match-set", REQUIRED, true));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      String dirs =
          getopt
              .takeValue()
              .orElseThrow(() -> IptablesError.parameter("--match-set requires two args."));
      List<Match.SetDirection> list = new ArrayList<>();
      for (String d : dirs.split(",", -1)) {
        switch (d) {
          case "src" -> list.add(Match.SetDirection.SRC);
          case "dst" -> list.add(Match.SetDirection.DST);
          default ->
              throw IptablesError.parameter(
                  "You must spefify (the comma separated list of) 'src' or 'dst'.");
        }
      }
      if (!ctx.setExists().test(arg)) {
        throw IptablesError.parameter("Set " + arg + " doesn't exist.\n");
      }
      setName = arg;
      directions = list;
      inverted = invert;
    }

    @Override
    Match build(Context ctx) {
      if (setName.isEmpty()) {
        throw IptablesError.parameter("You must specify `--match-set' with proper arguments");
      }
      return new Match.IpSet(setName, directions, inverted);
    }
  }

  /** {@code -m physdev}. */
  static final class Physdev extends Extension<Match> {
    private Optional<Negatable<String>> in = Optional.empty();
    private Optional<Negatable<String>> out = Optional.empty();
    private Optional<Boolean> isIn = Optional.empty();
    private Optional<Boolean> isOut = Optional.empty();
    private Optional<Boolean> isBridged = Optional.empty();

    Physdev() {
      super("physdev");
    }

    @Override
    List<Option> options() {
      return new ArrayList<>(
          List.of(
              Option.of("physdev-in", REQUIRED, true),
              Option.of("physdev-out", REQUIRED, true),
              Option.of("physdev-is-in", NONE, true),
              Option.of("physdev-is-out", NONE, true),
              Option.of("physdev-is-bridged", NONE, true)));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      once(option);
      switch (option) {
        case "physdev-in" -> in = Optional.of(new Negatable<>(Values.iface(arg), invert));
        case "physdev-out" -> out = Optional.of(new Negatable<>(Values.iface(arg), invert));
        case "physdev-is-in" -> isIn = Optional.of(!invert);
        case "physdev-is-out" -> isOut = Optional.of(!invert);
        default -> isBridged = Optional.of(!invert);
      }
    }

    @Override
    Match build(Context ctx) {
      if (in.isEmpty()
          && out.isEmpty()
          && isIn.isEmpty()
          && isOut.isEmpty()
          && isBridged.isEmpty()) {
        throw IptablesError.parameter("PHYSDEV: no physdev option specified");
      }
      return new Match.Physdev(in, out, isIn, isOut, isBridged);
    }
  }
}
