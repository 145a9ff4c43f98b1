package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpFamily;

/** The save and list forms of target options. */
final class TargetText {

  private TargetText() {}

  static String hex(int v) {
    return "0x" + Integer.toHexString(v);
  }

  static void save(StringBuilder sb, Target t) {
    switch (t) {
      case Target.Reject r -> sb.append(" --reject-with ").append(r.with().iptablesName());
      case Target.Log l -> {
        if (!l.prefix().isEmpty()) {
          sb.append(" --log-prefix").append(RuleText.quote(l.prefix()));
        }
        if (l.level() != 4) {
          sb.append(" --log-level ").append(l.level());
        }
        for (Target.LogFlag f : Target.LogFlag.values()) {
          if (l.flags().contains(f)) {
            sb.append(" --log-")
                .append(
                    switch (f) {
                      case TCP_SEQUENCE -> "tcp-sequence";
                      case TCP_OPTIONS -> "tcp-options";
                      case IP_OPTIONS -> "ip-options";
                      case UID -> "uid";
                      case MACDECODE -> "macdecode";
                    });
          }
        }
      }
      case Target.Mark m ->
          sb.append(" --set-xmark ").append(hex(m.value())).append('/').append(hex(m.mask()));
      case Target.ConnMark c -> {
        switch (c.mode()) {
          case SET ->
              sb.append(" --set-xmark ")
                  .append(hex(c.ctMark()))
                  .append('/')
                  .append(hex(c.ctMask()));
          case SAVE ->
              sb.append(" --save-mark --nfmask ")
                  .append(hex(c.nfMask()))
                  .append(" --ctmask ")
                  .append(hex(c.ctMask()));
          case RESTORE ->
              sb.append(" --restore-mark --nfmask ")
                  .append(hex(c.nfMask()))
                  .append(" --ctmask ")
                  .append(hex(c.ctMask()));
        }
      }
      case Target.Dnat d ->
          sb.append(" --to-destination ")
              .append(range(d.range()))
              .append(d.random() ? " --random" : "")
              .append(d.persistent() ? " --persistent" : "");
      case Target.Snat s ->
          sb.append(" --to-source ")
              .append(range(s.range()))
              .append(s.random() ? " --random" : "")
              .append(s.randomFully() ? " --random-fully" : "")
              .append(s.persistent() ? " --persistent" : "");
      case Target.Masquerade m -> {
        m.ports().ifPresent(p -> sb.append(" --to-ports ").append(ports(p)));
        sb.append(m.random() ? " --random" : "").append(m.randomFully() ? " --random-fully" : "");
      }
      case Target.Redirect r -> {
        r.ports().ifPresent(p -> sb.append(" --to-ports ").append(ports(p)));
        sb.append(r.random() ? " --random" : "");
      }
      case Target.Ct c -> sb.append(c.notrack() ? " --notrack" : "");
      default -> {}
    }
  }

  /** The target column of {@code iptables -L}. */
  static String column(Target t) {
    return switch (t) {
      case Target.NoTrack n -> "CT";
      default -> t.name();
    };
  }

  /** The target's part of an {@code iptables -L} line, each item with a leading space. */
  static void print(StringBuilder sb, Target t, boolean numeric) {
    switch (t) {
      case Target.Reject r -> sb.append(" reject-with ").append(r.with().iptablesName());
      case Target.Log l -> {
        if (numeric) {
          sb.append(" LOG flags ").append(logFlags(l)).append(" level ").append(l.level());
        } else {
          sb.append(" LOG level ").append(Targets.Log.levelName(l.level()));
          for (Target.LogFlag f : Target.LogFlag.values()) {
            if (l.flags().contains(f)) {
              sb.append(' ')
                  .append(
                      switch (f) {
                        case TCP_SEQUENCE -> "tcp-sequence";
                        case TCP_OPTIONS -> "tcp-options";
                        case IP_OPTIONS -> "ip-options";
                        case UID -> "uid";
                        case MACDECODE -> "macdecode";
                      });
            }
          }
        }
        if (!l.prefix().isEmpty()) {
          sb.append(" prefix \"").append(l.prefix()).append('"');
        }
      }
      case Target.Mark m -> sb.append(" MARK ").append(xmark(m.value(), m.mask()));
      case Target.ConnMark c ->
          sb.append(" CONNMARK ")
              .append(
                  switch (c.mode()) {
                    case SET -> xmark(c.ctMark(), c.ctMask());
                    case SAVE ->
                        c.nfMask() == -1 && c.ctMask() == -1
                            ? "save"
                            : c.nfMask() == c.ctMask()
                                ? "save mask " + hex(c.nfMask())
                                : "save nfmask " + hex(c.nfMask()) + " ctmask ~" + hex(c.ctMask());
                    case RESTORE ->
                        c.nfMask() == -1 && c.ctMask() == -1
                            ? "restore"
                            : c.nfMask() == c.ctMask()
                                ? "restore mask " + hex(c.ctMask())
                                : "restore ctmask "
                                    + hex(c.ctMask())
                                    + " nfmask ~"
                                    + hex(c.nfMask());
                  });
      case Target.Dnat d ->
          sb.append(" to:")
              .append(range(d.range()))
              .append(d.random() ? " random" : "")
              .append(d.persistent() ? " persistent" : "");
      case Target.Snat s ->
          sb.append(" to:")
              .append(range(s.range()))
              .append(s.random() ? " random" : "")
              .append(s.randomFully() ? " random-fully" : "")
              .append(s.persistent() ? " persistent" : "");
      case Target.Masquerade m -> {
        m.ports().ifPresent(p -> sb.append(" masq ports: ").append(ports(p)));
        sb.append(m.random() ? " random" : "").append(m.randomFully() ? " random-fully" : "");
      }
      case Target.Redirect r -> {
        r.ports().ifPresent(p -> sb.append(" redir ports ").append(ports(p)));
        sb.append(r.random() ? " random" : "");
      }
      case Target.NoTrack n -> sb.append(" NOTRACK");
      case Target.Ct c -> sb.append(" CT").append(c.notrack() ? " notrack" : "");
      default -> {}
    }
  }

  private static int logFlags(Target.Log l) {
    int f = 0;
    for (Target.LogFlag x : l.flags()) {
      f |=
          switch (x) {
            case TCP_SEQUENCE -> 1;
            case TCP_OPTIONS -> 2;
            case IP_OPTIONS -> 4;
            case UID -> 8;
            case MACDECODE -> 0x20;
          };
    }
    return f;
  }

  private static String xmark(int value, int mask) {
    if (value == 0) {
      return "and " + hex(~mask);
    } else if (value == mask) {
      return "or " + hex(value);
    } else if (mask == 0) {
      return "xor " + hex(value);
    } else if (mask == 0xffffffff) {
      return "set " + hex(value);
    }
    return "xset " + hex(value) + "/" + hex(mask);
  }

  static String ports(PortRange p) {
    return p.isSingle() ? Integer.toString(p.low()) : p.low() + "-" + p.high();
  }

  static String range(Target.NatRange r) {
    StringBuilder sb = new StringBuilder();
    boolean v6 = r.first().map(a -> a.family() == IpFamily.IPV6).orElse(false);
    boolean brackets = v6 && r.ports().isPresent();
    r.first()
        .ifPresent(
            first -> {
              sb.append(brackets ? "[" + first + "]" : first.toString());
              if (!first.equals(r.last().orElseThrow())) {
                sb.append('-')
                    .append(brackets ? "[" + r.last().get() + "]" : r.last().get().toString());
              }
            });
    r.ports().ifPresent(p -> sb.append(':').append(ports(p)));
    return sb.toString();
  }
}
