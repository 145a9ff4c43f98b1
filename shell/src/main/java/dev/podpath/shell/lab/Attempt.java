package dev.podpath.shell.lab;

import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Trace;
import java.util.Optional;

/**
 * One connection attempt of a probe (or, when exploring, one branch of it) and how it ended.
 *
 * @param fate the outcome, from the fate of the attempt's first packet
 * @param to where it was delivered: {@code HOST} for a root namespace, {@code HOST/NS} otherwise
 * @param address the address (and port) it reached, as the server saw it
 * @param seenFrom the source address (and port) the server saw
 * @param answered whether the reply got back to the client
 * @param why a short explanation of a failure ({@code DROP at …})
 * @param weight the attempt's share of the probe: 1/N when sampled, the branch's exact probability
 *     when exploring
 * @param trace the first packet's walk
 * @param reply the walk of the server's answer, when there was one
 */
public record Attempt(
    Fate fate,
    Optional<String> to,
    Optional<String> address,
    Optional<String> seenFrom,
    boolean answered,
    String why,
    double weight,
    Trace trace,
    Optional<Trace> reply) {

  public Attempt {
    if (!(weight > 0 && weight <= 1 + 1e-9)) {
      throw new IllegalArgumentException("weight must be in (0, 1], got " + weight);
    }
    if (fate == Fate.DELIVERED && to.isEmpty()) {
      throw new IllegalArgumentException("a delivered attempt needs 'to'");
    }
  }

  /** The forward trace, then the reply's. */
  public java.util.List<Trace> traces() {
    return reply.map(r -> java.util.List.of(trace, r)).orElse(java.util.List.of(trace));
  }

  /** Whether {@code want} ({@code HOST}, {@code HOST/NS} or {@code NS}) names where it went. */
  public boolean deliveredTo(String want) {
    return fate == Fate.DELIVERED && to.isPresent() && Places.matches(to.get(), want);
  }

  /** The port of {@link #address}, when it has one. */
  public Optional<Integer> port() {
    return address.flatMap(Places::port);
  }

  /** The address part of {@link #seenFrom}. */
  public Optional<String> seenFromAddress() {
    return seenFrom.map(Places::hostPart);
  }
}
