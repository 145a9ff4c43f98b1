package dev.podpath.policy.model;

/** A pod's controlling owner; {@link #toString()} is {@code namespace/name[Kind]}. */
public record Workload(String namespace, String name, String kind) implements Comparable<Workload> {
  @Override
  public String toString() {
    return namespace + "/" + name + "[" + kind + "]";
  }

  @Override
  public int compareTo(Workload o) {
    return toString().compareTo(o.toString());
  }
}
