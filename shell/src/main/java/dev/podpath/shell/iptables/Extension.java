package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A match or target extension being read from a command line ({@code -m NAME} or {@code -j NAME}):
 * the options it adds to the option table, what each does, and the final check that turns what was
 * read into the model's record. One instance per use in a rule.
 *
 * @param <T> {@code Match} or {@code Target}
 */
abstract class Extension<T> {

  /**
   * What every extension may ask about the rule being read: {@code protocol} is the modelled
   * protocol of {@code -p} ({@code protocolNumber}, 0 when not given or {@code all}).
   */
  record Context(
      IpFamily family,
      TableName table,
      Optional<Protocol> protocol,
      boolean protocolGiven,
      int protocolNumber,
      boolean protocolInverted,
      java.util.function.Predicate<String> setExists) {}

  /** One option: its long name (the first alias is the canonical name) and argument kind. */
  record Option(String name, Getopt.Arg arg, boolean invertible, List<String> aliases) {
    static Option of(String name, Getopt.Arg arg, boolean invertible, String... aliases) {
      return new Option(name, arg, invertible, List.of(aliases));
    }
  }

  private final String name;
  private final Set<String> seen = new LinkedHashSet<>();

  Extension(String name) {
    this.name = name;
  }

  /** The extension's name ({@code tcp}, {@code DNAT}). */
  final String name() {
    return name;
  }

  abstract List<Option> options();

  /** Handles one of {@link #options()}; {@code arg} is null for options without one. */
  abstract void parse(
      String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt);

  /** The final check ({@code x6_fcheck}) and the value. */
  abstract T build(Context ctx);

  /** {@link #options()} read once: an instance's options do not change. */
  private @Nullable List<Option> optionList;

  private List<Option> optionList() {
    List<Option> l = optionList;
    if (l == null) {
      l = options();
      optionList = l;
    }
    return l;
  }

  /** The getopt table entries of this instance. */
  final List<Getopt.Spec> specs() {
    List<Getopt.Spec> out = new ArrayList<>();
    for (Option o : optionList()) {
      out.add(new Getopt.Spec(o.name(), (char) 0, o.arg(), this));
      for (String alias : o.aliases()) {
        out.add(new Getopt.Spec(alias, (char) 0, o.arg(), this));
      }
    }
    return out;
  }

  /** Reads an option found by getopt under any of its names. */
  final void accept(
      String longName, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
    Option o = canonical(longName);
    if (invert && !o.invertible()) {
      throw IptablesError.parameter(name + ": option \"--" + o.name() + "\" cannot be inverted.\n");
    }
    parse(o.name(), arg, invert, ctx, getopt);
    seen.add(o.name());
  }

  private Option canonical(String longName) {
    for (Option o : optionList()) {
      if (o.name().equals(longName) || o.aliases().contains(longName)) {
        return o;
      }
    }
    throw new IllegalStateException(name + ": no option " + longName);
  }

  final boolean given(String option) {
    return seen.contains(option);
  }

  /** The old-style "Only one `--OPTION' allowed" check of tcp, udp and sctp. */
  final void onlyOne(String option) {
    if (given(option)) {
      throw IptablesError.parameter("Only one `--" + option + "' allowed");
    }
  }

  /** The x6 "can only be used once" check, done before reading the option again. */
  final void once(String option) {
    if (given(option)) {
      throw IptablesError.parameter(
          name + ": option \"--" + option + "\" can only be used once.\n");
    }
  }

  /** The x6 exclusion check: {@code option} may not come with any of {@code others}. */
  final void exclusive(String option, String... others) {
    for (String o : others) {
      if (given(o)) {
        throw IptablesError.parameter(
            name + ": option \"--" + option + "\" cannot be used together with \"--" + o + "\".\n");
      }
    }
  }

  /** The x6 "also requires" check. */
  final void requires(String option, String needed) {
    if (given(option) && !given(needed)) {
      throw IptablesError.parameter(
          name + ": option \"--" + option + "\" also requires \"--" + needed + "\".\n");
    }
  }

  /** The x6 "must be specified" check. */
  final void mandatory(String option) {
    if (!given(option)) {
      throw IptablesError.parameter(name + ": option \"--" + option + "\" must be specified\n");
    }
  }

  /** An x6 unsigned 32-bit value with the framework's message when bad. */
  final int u32(String option, String text) {
    var v = Values.u32(text);
    if (v.isEmpty()) {
      throw IptablesError.parameter(
          name + ": bad integer value for option \"--" + option + "\", or out of range.\n");
    }
    return (int) v.getAsLong();
  }

  /** {@code VALUE[/MASK]} as x6's MARKMASK32 reads it; the mask defaults to all ones. */
  final int[] markMask(String option, String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return new int[] {u32(option, text), 0xffffffff};
    }
    return new int[] {
      u32(option, text.substring(0, slash)), u32(option, text.substring(slash + 1))
    };
  }
}
