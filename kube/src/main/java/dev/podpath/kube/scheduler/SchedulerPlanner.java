package dev.podpath.kube.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One scheduling decision as a pure function (kube-scheduler's default profile, reduced): filter
 * nodes (in the default profile's plugin order, the first failure is the node's reason) by
 * unschedulable, taints, node affinity and selector, resources (requests against allocatable) and
 * the pod count; score the rest by spreading (fewest pods of the same owner) then least requested;
 * ties by node name. When no node fits, the message reads as kube-scheduler's FailedScheduling
 * event.
 */
public final class SchedulerPlanner {

  private SchedulerPlanner() {}

  /** Places {@code pod} given every node and the pods already assigned to nodes. */
  public static Placement place(Pod pod, List<Node> nodes, List<Pod> assigned) {
    if (nodes.isEmpty()) {
      return new Placement.Unschedulable("no nodes available to schedule pods");
    }
    Map<String, List<Pod>> byNode = new TreeMap<>();
    for (Pod p : assigned) {
      if (!isTerminal(p)) {
        byNode.computeIfAbsent(p.getSpec().getNodeName(), k -> new ArrayList<>()).add(p);
      }
    }
    Map<String, Integer> reasons = new TreeMap<>();
    List<Node> fit = new ArrayList<>();
    for (Node n : nodes) {
      List<Pod> onNode = byNode.getOrDefault(n.getMetadata().getName(), List.of());
      Optional<String> why =
          NodeFilters.unschedulable(pod, n)
              .or(() -> NodeFilters.taints(pod, n))
              .or(() -> NodeFilters.affinity(pod, n))
              .or(() -> resources(pod, n, onNode));
      why.ifPresentOrElse(r -> reasons.merge(r, 1, Integer::sum), () -> fit.add(n));
    }
    if (fit.isEmpty()) {
      List<String> parts = new ArrayList<>();
      reasons.forEach((r, c) -> parts.add(c + " " + r));
      parts.sort(Comparator.naturalOrder());
      int total = nodes.size();
      return new Placement.Unschedulable(
          "0/"
              + total
              + " nodes are available: "
              + String.join(", ", parts)
              + ". preemption: 0/"
              + total
              + " nodes are available: "
              + total
              + " Preemption is not helpful for scheduling.");
    }
    String owner = owner(pod);
    Node best =
        fit.stream()
            .min(
                Comparator.comparingLong(
                        (Node n) ->
                            byNode.getOrDefault(n.getMetadata().getName(), List.of()).stream()
                                .filter(p -> Objects.equals(owner(p), owner))
                                .count())
                    .thenComparing(
                        n ->
                            requestedFraction(
                                n, byNode.getOrDefault(n.getMetadata().getName(), List.of())))
                    .thenComparing(n -> n.getMetadata().getName()))
            .orElseThrow();
    return new Placement.Bound(best.getMetadata().getName());
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

  private static double requestedFraction(Node node, List<Pod> onNode) {
    Map<String, Quantity> alloc = allocatable(node);
    double sum = 0;
    for (String res : List.of("cpu", "memory")) {
      if (!alloc.containsKey(res) || amount(alloc.get(res)).signum() == 0) {
        continue;
      }
      BigDecimal used =
          onNode.stream().map(p -> request(p, res)).reduce(BigDecimal.ZERO, BigDecimal::add);
      sum += used.doubleValue() / amount(alloc.get(res)).doubleValue();
    }
    return sum + onNode.size() * 1e-6;
  }

  private static Map<String, Quantity> allocatable(Node node) {
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

  private static String owner(Pod p) {
    for (OwnerReference r : p.getMetadata().getOwnerReferences()) {
      if (Boolean.TRUE.equals(r.getController())) {
        return r.getUid();
      }
    }
    return "labels:"
        + new TreeMap<>(
            p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels());
  }

  private static boolean isTerminal(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
