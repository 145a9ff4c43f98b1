package dev.podpath.net.trace;

import java.util.Optional;

/**
 * One decision of a packet walk. A closed set: renderers take it apart with a pattern-matching
 * {@code switch}. Values only: names, numbers and texts.
 */
public sealed interface Step {

  /** The packet came in on a link. */
  record Receive(String link, String packet) implements Step {}

  /** The packet left on a link. */
  record Transmit(String link, String packet) implements Step {}

  /** A netfilter hook was entered ({@code PREROUTING}, …). */
  record HookEntered(String hook) implements Step {}

  /**
   * A netfilter rule matched (or a chain's policy applied, with {@code number} 0).
   *
   * @param ruleText the rule as {@code iptables -S} prints it (the policy as {@code -P CHAIN X})
   * @param verdict what happened next: {@code ACCEPT}, {@code DROP}, {@code jump KUBE-SVC-…},
   *     {@code goto CHAIN}, {@code continue} (a non-terminating target), {@code RETURN}; {@link
   *     Trace#chains} reads the jump and goto targets from it
   */
  record Rule(String table, String chain, int number, String ruleText, String verdict)
      implements Step {}

  /** A routing decision. */
  record Route(
      String table, String route, String device, Optional<String> via, Optional<String> src)
      implements Step {}

  /** No route: the packet cannot go on. */
  record NoRoute(String destination) implements Step {}

  /** A neighbour (ARP/NDP) look-up and its answer. */
  record Neighbour(String address, String device, boolean resolved) implements Step {}

  /** A bridge forwarding decision. */
  record Bridge(String bridge, String inPort, String outPorts, String reason) implements Step {}

  /** A conntrack look-up: the state it gave the packet and the entry, as conntrack -L prints it. */
  record Conntrack(String state, String entry) implements Step {}

  /** An address translation. */
  record Nat(String kind, String before, String after) implements Step {}

  /** A random decision, and the probability of the branch taken. */
  record Branch(String what, int choice, double probability) implements Step {}

  /** IPVS picked a real server. */
  record Ipvs(String service, String realServer, String scheduler) implements Step {}

  /** A LOG rule wrote a line. */
  record Log(String prefix, String line) implements Step {}

  /** The packet reached a socket. */
  record Deliver(String socket) implements Step {}

  /** The packet was lost, and why. */
  record Drop(String reason) implements Step {}

  /** Anything else worth saying (sysctl that decided, a VXLAN encapsulation, …). */
  record Note(String text) implements Step {}
}
