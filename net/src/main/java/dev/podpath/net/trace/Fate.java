package dev.podpath.net.trace;

import java.util.Locale;

/** How a packet's journey ended, in the words of lab files. */
public enum Fate {
  /** Reached a listening socket. */
  DELIVERED,
  /** The destination had no listener: TCP RST or ICMP port unreachable. */
  REFUSED,
  /** A REJECT rule answered with an error. */
  REJECTED,
  /** Silently lost: a DROP rule or policy, no neighbour, a link that is down. */
  DROPPED,
  /** No route to the destination. */
  UNREACHABLE;

  /** The lab word ({@code delivered}, …). */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
