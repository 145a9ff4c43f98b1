package dev.podpath.kernel.path;

/** Conntrack states as {@code -m conntrack --ctstate} names them. */
public enum CtState {
  NEW,
  ESTABLISHED,
  RELATED,
  INVALID,
  UNTRACKED,
  SNAT,
  DNAT
}
