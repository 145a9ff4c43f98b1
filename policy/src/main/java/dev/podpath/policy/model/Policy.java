package dev.podpath.policy.model;

import java.util.List;
import java.util.Set;

/**
 * A validated NetworkPolicy. {@code types} is {@code policyTypes} after defaulting: Ingress always,
 * Egress when listed or when egress rules are present.
 */
public record Policy(
    String namespace,
    String name,
    Selector podSelector,
    Set<Direction> types,
    List<Rule> ingress,
    List<Rule> egress) {

  public Policy {
    types = Set.copyOf(types);
    ingress = List.copyOf(ingress);
    egress = List.copyOf(egress);
  }

  public boolean isolates(Direction d) {
    return types.contains(d);
  }

  public List<Rule> rules(Direction d) {
    return d == Direction.INGRESS ? ingress : egress;
  }

  /** {@code namespace/name}. */
  public String key() {
    return namespace + "/" + name;
  }
}
