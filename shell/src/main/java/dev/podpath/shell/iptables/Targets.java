package dev.podpath.shell.iptables;

import static dev.podpath.shell.iptables.Getopt.Arg.NONE;
import static dev.podpath.shell.iptables.Getopt.Arg.REQUIRED;

import dev.podpath.kernel.netfilter.rule.RejectWith;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpFamily;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The non-NAT target extensions: REJECT, LOG, MARK, CONNMARK, NOTRACK, CT, TRACE. */
final class Targets {

  private Targets() {}

  /** A target without options ({@code TRACE}, {@code NOTRACK}). */
  static final class Plain extends Extension<Target> {
    private final Target target;

    Plain(String name, Target target) {
      super(name);
      this.target = target;
    }

    @Override
    List<Option> options() {
      return List.of();
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      throw new IllegalStateException(name() + " has no options");
    }

    @Override
    Target build(Context ctx) {
      return target;
    }
  }

  private static final Map<String, RejectWith> REJECT_ALIASES =
      Map.ofEntries(
          Map.entry("net-unreach", RejectWith.ICMP_NET_UNREACHABLE),
          Map.entry("host-unreach", RejectWith.ICMP_HOST_UNREACHABLE),
          Map.entry("proto-unreach", RejectWith.ICMP_PROT_UNREACHABLE),
          Map.entry("port-unreach", RejectWith.ICMP_PORT_UNREACHABLE),
          Map.entry("net-prohib", RejectWith.ICMP_NET_PROHIBITED),
          Map.entry("host-prohib", RejectWith.ICMP_HOST_PROHIBITED),
          Map.entry("admin-prohib", RejectWith.ICMP_ADMIN_PROHIBITED),
          Map.entry("tcp-rst", RejectWith.TCP_RESET));

  private static final Map<String, RejectWith> REJECT6_ALIASES =
      Map.ofEntries(
          Map.entry("no-route", RejectWith.ICMP6_NO_ROUTE),
          Map.entry("adm-prohibited", RejectWith.ICMP6_ADM_PROHIBITED),
          Map.entry("addr-unreach", RejectWith.ICMP6_ADDR_UNREACHABLE),
          Map.entry("port-unreach", RejectWith.ICMP6_PORT_UNREACHABLE),
          Map.entry("policy-fail", RejectWith.ICMP6_POLICY_FAIL),
          Map.entry("reject-route", RejectWith.ICMP6_REJECT_ROUTE),
          Map.entry("tcp-rst", RejectWith.TCP_RESET));

  /** {@code -j REJECT [--reject-with TYPE]}. */
  static final class Reject extends Extension<Target> {
    private @Nullable RejectWith with;

    Reject() {
      super("REJECT");
    }

    @Override
    List<Option> options() {
      return List.of(Option.of("reject-with", REQUIRED, false));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      IpFamily f = ctx.family();
      RejectWith r =
          RejectWith.find(arg)
              .filter(x -> x.appliesTo(f))
              .orElse((f == IpFamily.IPV4 ? REJECT_ALIASES : REJECT6_ALIASES).get(arg));
      if (r == null) {
        throw IptablesError.parameter("unknown reject type \"" + arg + "\"");
      }
      with = r;
    }

    @Override
    Target build(Context ctx) {
      return new Target.Reject(with != null ? with : RejectWith.defaultFor(ctx.family()));
    }
  }

  private static final List<String> LEVELS =
      List.of("emerg", "alert", "crit", "error", "warning", "notice", "info", "debug");

  /** {@code -j LOG}. */
  static final class Log extends Extension<Target> {
    private String prefix = "";
    private int level = 4;
    private final Set<Target.LogFlag> flags = EnumSet.noneOf(Target.LogFlag.class);

    Log() {
      super("LOG");
    }

    @Override
    List<Option> options() {
      return List.of(
          Option.of("log-level", REQUIRED, false),
          Option.of("log-prefix", REQUIRED, false),
          Option.of("log-tcp-sequence", NONE, false),
          Option.of("log-tcp-options", NONE, false),
          Option.of("log-ip-options", NONE, false),
          Option.of("log-uid", NONE, false),
          Option.of("log-macdecode", NONE, false));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      switch (option) {
        case "log-level" -> level = level(arg);
        case "log-prefix" -> {
          if (arg.isEmpty()) {
            throw IptablesError.parameter("Argument must have a minimum length of 1 characters\n");
          }
          prefix = arg.length() > 29 ? arg.substring(0, 29) : arg;
        }
        case "log-tcp-sequence" -> flags.add(Target.LogFlag.TCP_SEQUENCE);
        case "log-tcp-options" -> flags.add(Target.LogFlag.TCP_OPTIONS);
        case "log-ip-options" -> flags.add(Target.LogFlag.IP_OPTIONS);
        case "log-uid" -> flags.add(Target.LogFlag.UID);
        default -> flags.add(Target.LogFlag.MACDECODE);
      }
    }

    static int level(String text) {
      if (text.length() == 1 && text.charAt(0) >= '0' && text.charAt(0) <= '7') {
        return text.charAt(0) - '0';
      }
      if (text.equals("panic")) {
        return 0;
      }
      int i = LEVELS.indexOf(text);
      if (i < 0) {
        throw IptablesError.parameter("log level \"" + text + "\" unknown\n");
      }
      return i;
    }

    static String levelName(int level) {
      return LEVELS.get(level);
    }

    @Override
    Target build(Context ctx) {
      return new Target.Log(prefix, level, flags);
    }
  }

  /** {@code -j MARK} and {@code -j CONNMARK} (which adds save and restore). */
  static final class Mark extends Extension<Target> {
    private final boolean conn;
    private Optional<Target> target = Optional.empty();

    Mark(boolean conn) {
      super(conn ? "CONNMARK" : "MARK");
      this.conn = conn;
    }

    @Override
    List<Option> options() {
      var common =
          List.of(
              Option.of("set-xmark", REQUIRED, false),
              Option.of("set-mark", REQUIRED, false),
              Option.of("and-mark", REQUIRED, false),
              Option.of("or-mark", REQUIRED, false),
              Option.of("xor-mark", REQUIRED, false));
      if (!conn) {
        return common;
      }
      var all = new java.util.ArrayList<>(common);
      all.addAll(
          List.of(
              Option.of("save-mark", NONE, false),
              Option.of("restore-mark", NONE, false),
              Option.of("mask", REQUIRED, false),
              Option.of("nfmask", REQUIRED, false),
              Option.of("ctmask", REQUIRED, false)));
      return all;
    }

    private int nfMask = 0xffffffff;
    private int ctMask = 0xffffffff;

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      switch (option) {
        case "set-xmark" -> {
          int[] vm = markMask(option, arg);
          target =
              Optional.of(
                  conn
                      ? Target.ConnMark.setXmark(vm[0], vm[1])
                      : Target.Mark.setXmark(vm[0], vm[1]));
        }
        case "set-mark" -> {
          int[] vm = markMask(option, arg);
          target =
              Optional.of(
                  conn ? Target.ConnMark.setMark(vm[0], vm[1]) : Target.Mark.setMark(vm[0], vm[1]));
        }
        case "and-mark" -> target = Optional.of(xmark(0, ~u32(option, arg)));
        case "or-mark" -> {
          int v = u32(option, arg);
          target = Optional.of(xmark(v, v));
        }
        case "xor-mark" -> target = Optional.of(xmark(u32(option, arg), 0));
        case "save-mark", "restore-mark" ->
            target =
                Optional.of(
                    new Target.ConnMark(
                        option.equals("save-mark")
                            ? Target.ConnMarkMode.SAVE
                            : Target.ConnMarkMode.RESTORE,
                        0,
                        0,
                        0));
        case "mask" -> {
          nfMask = u32(option, arg);
          ctMask = nfMask;
        }
        case "nfmask" -> nfMask = u32(option, arg);
        default -> ctMask = u32(option, arg);
      }
    }

    private Target xmark(int value, int mask) {
      return conn ? Target.ConnMark.setXmark(value, mask) : Target.Mark.setXmark(value, mask);
    }

    @Override
    Target build(Context ctx) {
      if (target.isEmpty()) {
        throw IptablesError.parameter(
            conn
                ? "CONNMARK target: No operation specified"
                : "MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required");
      }
      List<String> ops =
          List.of(
              "set-xmark",
              "set-mark",
              "and-mark",
              "or-mark",
              "xor-mark",
              "save-mark",
              "restore-mark");
      for (int i = 0; i < ops.size(); i++) {
        for (int j = 0; j < ops.size(); j++) {
          if (i != j && given(ops.get(i)) && given(ops.get(j))) {
            throw IptablesError.parameter(
                name()
                    + ": option \"--"
                    + ops.get(i)
                    + "\" cannot be used together with \"--"
                    + ops.get(j)
                    + "\".\n");
          }
        }
      }
      if (target.get() instanceof Target.ConnMark c && c.mode() != Target.ConnMarkMode.SET) {
        return new Target.ConnMark(c.mode(), 0, ctMask, nfMask);
      }
      return target.get();
    }
  }

  /** {@code -j CT [--notrack]}. */
  static final class Ct extends Extension<Target> {
    private boolean notrack;

    Ct() {
      super("CT");
    }

    @Override
    List<Option> options() {
      return List.of(Option.of("notrack", NONE, false));
    }

    @Override
    void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
      notrack = true;
    }

    @Override
    Target build(Context ctx) {
      return new Target.Ct(notrack, Optional.empty(), 0);
    }
  }
}
