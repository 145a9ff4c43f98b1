package dev.podpath.policy.enforce;

import java.util.List;
import java.util.Set;

/**
 * The netfilter state podpath's policy agent wants on one node: the jump rules that must stand
 * first in the built-in chains, and the {@code iptables-restore --noflush} text that replaces
 * podpath's own chains of the filter table in one transaction.
 *
 * @param chains the podpath chains this ruleset defines (to find stale ones on the next sync)
 */
public record NodeRuleset(String node, List<JumpRule> jumps, Set<String> chains, String restore) {

  /** A rule that must be the first of a built-in chain, as {@code iptables -I CHAIN 1 ARGS}. */
  public record JumpRule(String table, String chain, List<String> args) {
    public JumpRule {
      args = List.copyOf(args);
    }

    /** The rule as {@code iptables-save} prints it, {@code -A FORWARD ...}. */
    public String saveText() {
      return "-A " + chain + " " + String.join(" ", args);
    }
  }

  public NodeRuleset {
    jumps = List.copyOf(jumps);
    chains = Set.copyOf(chains);
  }
}
