package dev.podpath.policy.analysis;

import dev.podpath.policy.model.ConnectionSet;

/** One line of a connectivity list: what {@code source} may open towards {@code destination}. */
public record Connection(ReachNode source, ReachNode destination, ConnectionSet allowed) {
  /** np-guard's connlist line, {@code SRC => DST : CONNS}. */
  @Override
  public String toString() {
    return source.label() + " => " + destination.label() + " : " + allowed;
  }
}
