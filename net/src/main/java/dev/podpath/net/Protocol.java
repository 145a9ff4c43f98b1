package dev.podpath.net;

import java.util.Locale;
import java.util.Optional;

/** The IP protocols podpath models, with their numbers and the names iptables prints. */
public enum Protocol {
  ICMP(1, "icmp"),
  /**
   * IP in IP (RFC 2003): what {@code ipip} tunnels and IPVS's tunnel forwarding send; {@code
   * iptables -S} names it {@code ipencap} (/etc/protocols). Not {@code ipip}, which is protocol 94.
   */
  IPENCAP(4, "ipencap"),
  TCP(6, "tcp"),
  UDP(17, "udp"),
  ICMPV6(58, "ipv6-icmp"),
  SCTP(132, "sctp");

  private final int number;
  private final String iptablesName;

  Protocol(int number, String iptablesName) {
    this.number = number;
    this.iptablesName = iptablesName;
  }

  public int number() {
    return number;
  }

  /** The name {@code iptables -S} prints ({@code tcp}, {@code ipv6-icmp}). */
  public String iptablesName() {
    return iptablesName;
  }

  /** Whether packets of this protocol carry source and destination ports. */
  public boolean hasPorts() {
    return this == TCP || this == UDP || this == SCTP;
  }

  /** The protocol with IP protocol number {@code number}, if podpath models it. */
  public static Optional<Protocol> byNumber(int number) {
    for (Protocol p : values()) {
      if (p.number == number) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Looks a protocol up by name (any case, also {@code icmpv6}) or number. */
  public static Optional<Protocol> find(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    for (Protocol p : values()) {
      if (p.iptablesName.equals(t)
          || p.name().toLowerCase(Locale.ROOT).equals(t)
          || Integer.toString(p.number).equals(t)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
