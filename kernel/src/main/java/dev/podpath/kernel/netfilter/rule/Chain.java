package dev.podpath.kernel.netfilter.rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A chain: a built-in chain has a policy and counts the packets its policy decided; a user chain
 * has neither.
 */
public record Chain(String name, Optional<Policy> policy, Counters counters, List<Rule> rules) {

  /** The longest chain name iptables accepts ({@code XT_EXTENSION_MAXNAMELEN} - 1). */
  public static final int MAX_NAME_LENGTH = 28;

  public Chain {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "chain: name must be 1.." + MAX_NAME_LENGTH + " characters, got '" + name + "'");
    }
    rules = List.copyOf(rules);
  }

  public static Chain builtin(String name, Policy policy) {
    return new Chain(name, Optional.of(policy), Counters.ZERO, List.of());
  }

  public static Chain user(String name) {
    return new Chain(name, Optional.empty(), Counters.ZERO, List.of());
  }

  public boolean isBuiltin() {
    return policy.isPresent();
  }

  public Chain withRules(List<Rule> newRules) {
    return new Chain(name, policy, counters, newRules);
  }

  public Chain withPolicy(Policy p) {
    if (!isBuiltin()) {
      throw new IllegalArgumentException("chain " + name + ": only built-in chains have a policy");
    }
    return new Chain(name, Optional.of(p), counters, rules);
  }

  public Chain withCounters(Counters c) {
    return new Chain(name, policy, c, rules);
  }

  /** Appends a rule ({@code -A}). */
  public Chain append(Rule rule) {
    var l = new ArrayList<>(rules);
    l.add(rule);
    return withRules(l);
  }

  /** Inserts a rule so that it becomes rule {@code number} (1-based, {@code -I}). */
  public Chain insert(int number, Rule rule) {
    checkNumber(number, rules.size() + 1);
    var l = new ArrayList<>(rules);
    l.add(number - 1, rule);
    return withRules(l);
  }

  /** Replaces rule {@code number} (1-based, {@code -R}). */
  public Chain replace(int number, Rule rule) {
    checkNumber(number, rules.size());
    var l = new ArrayList<>(rules);
    l.set(number - 1, rule);
    return withRules(l);
  }

  /** Deletes rule {@code number} (1-based, {@code -D}). */
  public Chain delete(int number) {
    checkNumber(number, rules.size());
    var l = new ArrayList<>(rules);
    l.remove(number - 1);
    return withRules(l);
  }

  /** The number (1-based) of the first rule with the same matches and target, if any. */
  public Optional<Integer> find(Rule rule) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).sameAs(rule)) {
        return Optional.of(i + 1);
      }
    }
    return Optional.empty();
  }

  /** The chain with its rules removed ({@code -F}); policy and its counters stay. */
  public Chain flushed() {
    return withRules(List.of());
  }

  /** The chain with every counter at zero ({@code -Z}). */
  public Chain zeroed() {
    return new Chain(
        name,
        policy,
        Counters.ZERO,
        rules.stream().map(r -> r.withCounters(Counters.ZERO)).toList());
  }

  private void checkNumber(int number, int max) {
    if (number < 1 || number > max) {
      throw new IllegalArgumentException(
          "chain " + name + ": rule number must be 1.." + max + ", got " + number);
    }
  }
}
