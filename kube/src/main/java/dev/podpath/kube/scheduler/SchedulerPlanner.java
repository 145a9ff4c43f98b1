package dev.podpath.kube.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One scheduling decision as a pure function: kube-scheduler's default profile.
 *
 * <p><b>Filter</b>, in the profile's plugin order, the first failure being the node's reason:
 * NodeUnschedulable, TaintToleration, NodeAffinity (nodeSelector and required node affinity),
 * NodePorts (host ports, {@link NodePorts}), NodeResourcesFit (cpu and memory requests against
 * allocatable, the pod count), PodTopologySpread ({@link TopologySpread}), InterPodAffinity ({@link
 * InterPodAffinity}).
 *
 * <p><b>Score</b>, each plugin normalized to 0–100 and weighted as in the default profile:
 * TaintToleration ×3, NodeAffinity ×2, PodTopologySpread ×2, InterPodAffinity ×2, NodeResourcesFit
 * (LeastAllocated) ×1, NodeResourcesBalancedAllocation ×1 (ImageLocality has no images to look at).
 * The highest total wins; where kube-scheduler picks at random among equal totals, podpath takes
 * the first node by name, so placements are reproducible.
 *
 * <p>When no node fits, the message reads as kube-scheduler's FailedScheduling event: the reasons
 * with their node counts, sorted, then the preemption half, which counts nodes where preemption
 * cannot help (an unresolvable reason) and those where it finds no victim (podpath runs no
 * preemption: no pod has a lower priority to evict).
 */
public final class SchedulerPlanner {

  /** framework.MaxNodeScore. */
  static final long MAX_NODE_SCORE = 100;

  private SchedulerPlanner() {}

  /** Places {@code pod} given every node and the pods already assigned to nodes. */
  public static Placement place(Pod pod, List<Node> nodes, List<Pod> assigned) {
    return place(pod, ClusterSnapshot.of(nodes, assigned));
  }

  /** Places {@code pod} in the cluster {@code s} describes. */
  public static Placement place(Pod pod, ClusterSnapshot s) {
    if (s.nodes().isEmpty()) {
      return new Placement.Unschedulable("no nodes available to schedule pods");
    }
    Map<String, List<Pod>> byNode = new HashMap<>();
    for (Pod p : s.assigned()) {
      if (!isTerminal(p)) {
        byNode.computeIfAbsent(p.getSpec().getNodeName(), k -> new ArrayList<>()).add(p);
      }
    }
    TopologySpread.FilterState spread = TopologySpread.preFilter(pod, s, byNode);
    InterPodAffinity.State affinity = InterPodAffinity.preFilter(pod, s, byNode);
    Map<String, Integer> reasons = new TreeMap<>();
    int unresolvable = 0;
    List<Node> feasible = new ArrayList<>();
    for (Node n : s.nodes()) {
      List<Pod> onNode = byNode.getOrDefault(name(n), List.of());
      Optional<Rejection> why =
          NodeFilters.unschedulable(pod, n)
              .or(() -> NodeFilters.taints(pod, n))
              .or(() -> NodeFilters.affinity(pod, n))
              .map(Rejection::unresolvable)
              .or(() -> NodePorts.filter(pod, onNode))
              .or(() -> resources(pod, n, onNode).map(Rejection::unschedulable))
              .or(() -> TopologySpread.filter(spread, pod, n))
              .or(() -> InterPodAffinity.filter(affinity, n, s));
      if (why.isPresent()) {
        reasons.merge(why.get().reason(), 1, Integer::sum);
        unresolvable += why.get().resolvable() ? 0 : 1;
      } else {
        feasible.add(n);
      }
    }
    if (feasible.isEmpty()) {
      return new Placement.Unschedulable(message(s.nodes().size(), reasons, unresolvable));
    }
    return new Placement.Bound(name(best(pod, s, byNode, feasible)));
  }

  private static Node best(
      Pod pod, ClusterSnapshot s, Map<String, List<Pod>> byNode, List<Node> feasible) {
    Map<String, Long> taints = NodeScores.taintToleration(pod, feasible);
    Map<String, Long> nodeAffinity = NodeScores.nodeAffinity(pod, feasible);
    Map<String, Long> spread = TopologySpread.score(pod, s, byNode, feasible);
    Map<String, Long> podAffinity = InterPodAffinity.score(pod, s, byNode, feasible);
    Node best = null;
    long bestScore = Long.MIN_VALUE;
    for (Node n : feasible) { // sorted by name: the first of equal totals wins
      String name = name(n);
      List<Pod> onNode = byNode.getOrDefault(name, List.of());
      long total =
          3 * taints.get(name)
              + 2 * nodeAffinity.get(name)
              + 2 * spread.get(name)
              + 2 * podAffinity.get(name)
              + NodeScores.leastAllocated(pod, n, onNode)
              + NodeScores.balanced(pod, n, onNode);
      if (total > bestScore) {
        best = n;
        bestScore = total;
      }
    }
    return java.util.Objects.requireNonNull(best);
  }

  private static String message(int total, Map<String, Integer> reasons, int unresolvable) {
    List<String> parts = new ArrayList<>();
    reasons.forEach((r, c) -> parts.add(c + " " + r));
    parts.sort(Comparator.naturalOrder());
    List<String> preemption = new ArrayList<>();
    if (total - unresolvable > 0) {
      preemption.add((total - unresolvable) + " No preemption victims found for incoming pod");
    }
    if (unresolvable > 0) {
      preemption.add(unresolvable + " Preemption is not helpful for scheduling");
    }
    preemption.sort(Comparator.naturalOrder());
    return "0/"
        + total
        + " nodes are available: "
        + String.join(", ", parts)
        + ". preemption: 0/"
        + total
        + " nodes are available: "
        + String.join(", ", preemption)
        + ".";
  }

  /**
   * Whether a pod may run on a node ignoring resources: unschedulable, node affinity and selector,
   * taints. The DaemonSet controller's node filter.
   */
  public static Optional<String> fits(Pod pod, Node node) {
    return NodeFilters.unschedulable(pod, node)
        .or(() -> NodeFilters.taints(pod, node))
        .or(() -> NodeFilters.affinity(pod, node));
  }

  private static Optional<String> resources(Pod pod, Node node, List<Pod> onNode) {
    Map<String, Quantity> alloc = allocatable(node);
    long maxPods = alloc.containsKey("pods") ? amount(alloc.get("pods")).longValue() : 110;
    if (onNode.size() + 1 > maxPods) {
      return Optional.of("Too many pods");
    }
    for (String res : List.of("cpu", "memory")) {
      BigDecimal want = request(pod, res);
      if (want.signum() == 0 || !alloc.containsKey(res)) {
        continue;
      }
      BigDecimal used =
          onNode.stream().map(p -> request(p, res)).reduce(BigDecimal.ZERO, BigDecimal::add);
      if (used.add(want).compareTo(amount(alloc.get(res))) > 0) {
        return Optional.of("Insufficient " + res);
      }
    }
    return Optional.empty();
  }

  static Map<String, Quantity> allocatable(Node node) {
    if (node.getStatus() == null) {
      return Map.of();
    }
    if (node.getStatus().getAllocatable() != null && !node.getStatus().getAllocatable().isEmpty()) {
      return node.getStatus().getAllocatable();
    }
    return node.getStatus().getCapacity() == null ? Map.of() : node.getStatus().getCapacity();
  }

  static BigDecimal request(Pod pod, String resource) {
    BigDecimal sum = BigDecimal.ZERO;
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getResources() != null
          && c.getResources().getRequests() != null
          && c.getResources().getRequests().containsKey(resource)) {
        sum = sum.add(amount(c.getResources().getRequests().get(resource)));
      }
    }
    return sum;
  }

  private static BigDecimal amount(Quantity q) {
    return Quantity.getAmountInBytes(q);
  }

  /** An object's namespace; {@code default} when unset (the store always sets it). */
  static String namespace(io.fabric8.kubernetes.api.model.HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? "default" : ns;
  }

  static String name(Node n) {
    return n.getMetadata().getName();
  }

  static Map<String, String> labels(Node n) {
    Map<String, String> l = n.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }

  static Map<String, String> labels(Pod p) {
    Map<String, String> l = p.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }

  private static boolean isTerminal(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
