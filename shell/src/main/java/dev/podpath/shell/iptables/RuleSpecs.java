package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.shell.iptables.Command.Op;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The end of {@code do_parse}: addresses read (one rule per source and destination pair), the
 * checks of which options go with which command and chain, and the command record.
 */
final class RuleSpecs {

  private RuleSpecs() {}

  private static final Set<Op> IDRAC =
      EnumSet.of(Op.INSERT, Op.DELETE, Op.REPLACE, Op.APPEND, Op.CHECK);
  private static final Set<Op> LISTING = EnumSet.of(Op.LIST, Op.ZERO, Op.ZERO_NUM);

  /** Which commands each {@code OPT_*} flag may go with ({@code options_v_commands}). */
  private static final Map<String, Set<Op>> ALLOWED =
      Map.ofEntries(
          Map.entry("NUMERIC", LISTING),
          Map.entry("SOURCE", IDRAC),
          Map.entry("DESTINATION", IDRAC),
          Map.entry("PROTOCOL", IDRAC),
          Map.entry("JUMP", IDRAC),
          Map.entry("VERBOSE", EnumSet.allOf(Op.class)),
          Map.entry("EXPANDED", LISTING),
          Map.entry("VIA_IN", IDRAC),
          Map.entry("VIA_OUT", IDRAC),
          Map.entry("LINE_NUMBERS", LISTING),
          Map.entry("COUNTERS", EnumSet.of(Op.INSERT, Op.REPLACE, Op.APPEND, Op.SET_POLICY)),
          Map.entry("FRAGMENT", IDRAC));

  /**
   * What the option loop read: the command, the {@code OPT_*} flags given (by name and by the
   * letter errors name them with), the unparsed {@code -s}/{@code -d} texts, the interface and
   * protocol matches, the extensions' matches in load order, and the target.
   */
  record Parsed(
      IpFamily family,
      Op op,
      boolean zeroToo,
      String table,
      Optional<String> chain,
      int ruleNumber,
      String argument,
      Optional<Counters> counters,
      List<String> optionNames,
      List<Character> optionLetters,
      Optional<String> sources,
      boolean invSource,
      Optional<String> destinations,
      boolean invDestination,
      List<Match> base,
      List<Match> extensions,
      Target target,
      Optional<String> jumpChain) {

    boolean has(String option) {
      return optionNames.contains(option);
    }
  }

  static Command build(Parsed cl) {
    Op op = cl.op();
    boolean ruleCommand = op.isRuleCommand();
    List<Optional<IpPrefix>> sources = addresses(cl.family(), cl.sources(), cl.invSource());
    List<Optional<IpPrefix>> destinations =
        addresses(cl.family(), cl.destinations(), cl.invDestination());
    if ((sources.size() > 1 || destinations.size() > 1)
        && (cl.invSource() || cl.invDestination())) {
      throw IptablesError.parameter(
          "! not allowed with multiple source or destination IP addresses");
    }
    if (op == Op.REPLACE && (sources.size() != 1 || destinations.size() != 1)) {
      throw IptablesError.parameter("Replacement rule does not specify a unique address");
    }
    List<String> names = cl.optionNames();
    List<Character> letters = cl.optionLetters();
    for (int i = 0; i < names.size(); i++) {
      Set<Op> ok = ALLOWED.get(names.get(i));
      if (!ok.contains(op) && !(cl.zeroToo() && (ok.contains(Op.ZERO) || ok.contains(Op.LIST)))) {
        throw IptablesError.parameter("Illegal option `-" + letters.get(i) + "' with this command");
      }
    }
    if (ruleCommand || op == Op.DELETE_NUM) {
      String chain = cl.chain().orElse("");
      if ((chain.equals("PREROUTING") || chain.equals("INPUT")) && cl.has("VIA_OUT")) {
        throw IptablesError.parameter("Can't use -o with " + chain + "\n");
      }
      if ((chain.equals("POSTROUTING") || chain.equals("OUTPUT")) && cl.has("VIA_IN")) {
        throw IptablesError.parameter("Can't use -i with " + chain + "\n");
      }
    }
    List<Rule> rules = new ArrayList<>();
    if (ruleCommand) {
      for (Optional<IpPrefix> s : sources) {
        for (Optional<IpPrefix> d : destinations) {
          List<Match> ms = new ArrayList<>();
          s.ifPresent(p -> ms.add(new Match.Source(p, cl.invSource())));
          d.ifPresent(p -> ms.add(new Match.Destination(p, cl.invDestination())));
          ms.addAll(cl.base());
          ms.addAll(cl.extensions());
          rules.add(new Rule(ms, cl.target(), "", cl.counters().orElse(Counters.ZERO)));
        }
      }
    }
    return new Command(
        op,
        cl.zeroToo(),
        cl.table(),
        cl.chain(),
        cl.ruleNumber(),
        cl.argument(),
        new Command.Format(
            cl.has("NUMERIC"), cl.has("VERBOSE"), cl.has("EXPANDED"), cl.has("LINE_NUMBERS")),
        cl.counters(),
        rules,
        cl.jumpChain());
  }

  /** The addresses of {@code -s}/{@code -d}: empty (any) when not given or {@code /0}. */
  private static List<Optional<IpPrefix>> addresses(
      IpFamily family, Optional<String> text, boolean inverted) {
    if (text.isEmpty()) {
      return List.of(Optional.empty());
    }
    List<Optional<IpPrefix>> out = new ArrayList<>();
    for (IpPrefix p : Values.prefixes(family, text.get())) {
      out.add(p.length() == 0 && !inverted ? Optional.empty() : Optional.of(p));
    }
    return out;
  }
}
