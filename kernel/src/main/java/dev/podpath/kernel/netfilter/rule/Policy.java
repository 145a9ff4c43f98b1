package dev.podpath.kernel.netfilter.rule;

/** The policy of a built-in chain: the verdict for packets that fall off its end. */
public enum Policy {
  ACCEPT,
  DROP
}
