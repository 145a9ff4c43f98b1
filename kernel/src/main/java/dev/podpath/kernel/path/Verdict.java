package dev.podpath.kernel.path;

/** What a hook function decides for a packet ({@code NF_ACCEPT}, {@code NF_DROP}, …). */
public sealed interface Verdict {

  /** Go on to the next function at this hook, then on along the path. */
  record Accept() implements Verdict {}

  /** Lose the packet silently. */
  record Drop(String reason) implements Verdict {}

  /** Lose the packet and answer the sender ({@code REJECT --reject-with KIND}). */
  record Reject(String kind) implements Verdict {}

  /** The function took the packet over (IPVS transmitting it itself). */
  record Stolen(String by) implements Verdict {}

  Verdict ACCEPT = new Accept();
}
