package dev.podpath.policy.enforce;

/**
 * The narrow seam through which the policy agent programs a node's netfilter, as kube-proxy's
 * {@code util/iptables.Interface} does: make sure a jump rule stands first in a built-in chain, and
 * apply {@code iptables-restore --noflush} text atomically. Implementations: the emulated kernel
 * (through the iptables codec) and {@link RecordingIptables} for tests.
 */
public interface Iptables {

  /**
   * Inserts the rule at position 1 of its chain unless it is already there ({@code -C}/{@code -I}).
   */
  void ensureFirst(NodeRuleset.JumpRule rule);

  /** Applies restore text with {@code --noflush}; all of it or nothing. */
  void restoreNoFlush(String text);
}
