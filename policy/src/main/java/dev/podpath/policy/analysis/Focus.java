package dev.podpath.policy.analysis;

import java.util.List;
import java.util.Optional;

/**
 * Which lines of a connectivity list to keep: those touching a focus workload (matched by {@code
 * name} or {@code namespace/name}), optionally only in one direction, optionally only towards given
 * peers, optionally only for one namespace.
 */
public record Focus(
    List<String> workloads,
    Optional<FocusDirection> direction,
    List<String> peers,
    List<String> namespaces) {

  /** Ingress keeps lines into a focus workload; egress lines out of one. */
  public enum FocusDirection {
    INGRESS,
    EGRESS
  }

  public static final Focus NONE = new Focus(List.of(), Optional.empty(), List.of(), List.of());

  public Focus {
    workloads = List.copyOf(workloads);
    peers = List.copyOf(peers);
    namespaces = List.copyOf(namespaces);
  }

  public boolean keeps(ReachNode src, ReachNode dst) {
    if (!namespaces.isEmpty() && !inNamespaces(src) && !inNamespaces(dst)) {
      return false;
    }
    if (workloads.isEmpty()) {
      return true;
    }
    boolean out = matches(src, workloads) && peerOk(dst);
    boolean in = matches(dst, workloads) && peerOk(src);
    return direction.map(d -> d == FocusDirection.INGRESS ? in : out).orElse(in || out);
  }

  private boolean peerOk(ReachNode other) {
    return peers.isEmpty() || matches(other, peers);
  }

  private boolean inNamespaces(ReachNode n) {
    return n instanceof ReachNode.OfWorkload w && namespaces.contains(w.workload().namespace());
  }

  private static boolean matches(ReachNode n, List<String> names) {
    if (!(n instanceof ReachNode.OfWorkload w)) {
      return false;
    }
    var wl = w.workload();
    return names.contains(wl.name()) || names.contains(wl.namespace() + "/" + wl.name());
  }
}
