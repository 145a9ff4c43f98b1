package dev.podpath.kernel.netfilter.rule;

import java.util.List;

/**
 * One rule: matches that must all hold, a target, its counters, and its text. The text is opaque to
 * the kernel: whoever builds the rule supplies it (the iptables codec stores the {@code iptables
 * -S} form) and traces show it.
 */
public record Rule(List<Match> matches, Target target, String text, Counters counters) {

  public Rule {
    matches = List.copyOf(matches);
  }

  /** A rule with zero counters. */
  public static Rule of(String text, Target target, Match... matches) {
    return new Rule(List.of(matches), target, text, Counters.ZERO);
  }

  public Rule withCounters(Counters c) {
    return new Rule(matches, target, text, c);
  }

  /** Whether both rules have the same matches and target (what {@code iptables -D/-C} compare). */
  public boolean sameAs(Rule other) {
    return matches.equals(other.matches) && target.equals(other.target);
  }
}
