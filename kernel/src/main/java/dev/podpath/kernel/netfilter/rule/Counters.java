package dev.podpath.kernel.netfilter.rule;

/** A rule's (or a built-in chain policy's) packet and byte counters, as {@code [packets:bytes]}. */
public record Counters(long packets, long bytes) {

  public static final Counters ZERO = new Counters(0, 0);

  public Counters {
    if (packets < 0 || bytes < 0) {
      throw new IllegalArgumentException("counters: packets and bytes must not be negative");
    }
  }

  public Counters plus(long packetLength) {
    return new Counters(packets + 1, bytes + packetLength);
  }

  /** {@code [packets:bytes]}, as {@code iptables-save -c} prints it. */
  @Override
  public String toString() {
    return "[" + packets + ":" + bytes + "]";
  }
}
