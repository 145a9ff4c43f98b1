package dev.podpath.shell.iptables;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code getopt_long} as iptables calls it (optstring starting with {@code -}, {@code opterr} off):
 * arguments are returned in order, non-options as {@link Positional}; long options may be
 * abbreviated to a unique prefix and take {@code =VALUE} or the next argument; short options
 * cluster ({@code -nvL}). The option table changes as matches and targets are loaded, so each call
 * gets the current one.
 */
final class Getopt {

  /** Whether an option takes an argument. */
  enum Arg {
    NONE,
    REQUIRED,
    /** Only attached ({@code -Lchain}, {@code --wait=5}). */
    OPTIONAL
  }

  /** One entry of the option table; {@code owner} is the extension that declared it, if any. */
  record Spec(String longName, char shortName, Arg arg, @Nullable Object owner) {
    static Spec global(String longName, char shortName, Arg arg) {
      return new Spec(longName, shortName, arg, null);
    }
  }

  /** What {@link #next} found. */
  sealed interface Token {}

  /** An option; {@code shown} is how it was written ({@code -s}, {@code --dport}). */
  record Opt(Spec spec, @Nullable String arg, String shown) implements Token {}

  /** A non-option argument. */
  record Positional(String text) implements Token {}

  /** An option not in the table (or an ambiguous abbreviation). */
  record Unknown(String shown) implements Token {}

  /** A known option whose required argument is missing. */
  record MissingArg(String shown) implements Token {}

  private final List<String> argv;
  private int index;
  private int clusterPos;

  Getopt(List<String> argv) {
    this.argv = new ArrayList<>(argv);
  }

  boolean done() {
    return clusterPos == 0 && index >= argv.size();
  }

  /** The next argument, if it is not an option ({@code xs_has_arg}): it is consumed. */
  Optional<String> takeValue() {
    if (clusterPos == 0 && index < argv.size()) {
      String a = argv.get(index);
      if (!a.startsWith("-") && !a.startsWith("!")) {
        index++;
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** The next argument whatever it is (for {@code -c PKTS BYTES}), if there is one. */
  Optional<String> takeAny() {
    if (clusterPos == 0 && index < argv.size()) {
      return Optional.of(argv.get(index++));
    }
    return Optional.empty();
  }

  /** Where the scan is, to go back there with {@link #reset} (to re-read an option). */
  long position() {
    return ((long) index << 32) | clusterPos;
  }

  void reset(long position) {
    index = (int) (position >>> 32);
    clusterPos = (int) position;
  }

  Token next(List<Spec> table) {
    if (clusterPos > 0) {
      return shortOption(table);
    }
    String a = argv.get(index);
    if (a.startsWith("--") && a.length() > 2) {
      index++;
      return longOption(table, a);
    }
    if (a.startsWith("-") && a.length() > 1) {
      clusterPos = 1;
      return shortOption(table);
    }
    index++;
    return new Positional(a);
  }

  private Token longOption(List<Spec> table, String a) {
    int eq = a.indexOf('=');
    String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
    Spec found = null;
    for (Spec s : table) {
      if (s.longName().equals(name)) {
        found = s;
        break;
      }
    }
    if (found == null) {
      for (Spec s : table) {
        if (!s.longName().isEmpty() && s.longName().startsWith(name)) {
          if (found != null && !sameOption(found, s)) {
            return new Unknown(a);
          }
          found = s;
        }
      }
    }
    if (found == null) {
      return new Unknown(a);
    }
    String shown = "--" + found.longName();
    return switch (found.arg()) {
      case NONE -> eq >= 0 ? new Unknown(a) : new Opt(found, null, shown);
      case OPTIONAL -> new Opt(found, eq < 0 ? null : a.substring(eq + 1), shown);
      case REQUIRED -> {
        if (eq >= 0) {
          yield new Opt(found, a.substring(eq + 1), shown);
        }
        if (index >= argv.size()) {
          yield new MissingArg(shown);
        }
        yield new Opt(found, argv.get(index++), shown);
      }
    };
  }

  private static boolean sameOption(Spec a, Spec b) {
    return a.owner() == b.owner() && a.shortName() == b.shortName() && a.arg() == b.arg();
  }

  private Token shortOption(List<Spec> table) {
    String a = argv.get(index);
    char c = a.charAt(clusterPos++);
    boolean last = clusterPos >= a.length();
    Spec found = null;
    for (Spec s : table) {
      if (s.shortName() == c) {
        found = s;
        break;
      }
    }
    String shown = "-" + c;
    if (found == null) {
      endCluster(last);
      return new Unknown(a);
    }
    switch (found.arg()) {
      case NONE -> {
        endCluster(last);
        return new Opt(found, null, shown);
      }
      case OPTIONAL -> {
        String rest = last ? null : a.substring(clusterPos);
        clusterPos = 0;
        index++;
        return new Opt(found, rest, shown);
      }
      default -> {
        if (!last) {
          String rest = a.substring(clusterPos);
          clusterPos = 0;
          index++;
          return new Opt(found, rest, shown);
        }
        clusterPos = 0;
        index++;
        if (index >= argv.size()) {
          return new MissingArg(shown);
        }
        return new Opt(found, argv.get(index++), shown);
      }
    }
  }

  private void endCluster(boolean last) {
    if (last) {
      clusterPos = 0;
      index++;
    }
  }
}
