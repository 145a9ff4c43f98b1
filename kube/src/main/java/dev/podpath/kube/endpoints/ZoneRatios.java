package dev.podpath.kube.endpoints;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The share of allocatable CPU per zone that topology hints are allocated by ({@code
 * topologycache.SetNodes}): Ready nodes only, control-plane (and {@code master}) nodes left out; if
 * any counted node lacks a zone label or allocatable CPU the information is insufficient, and so it
 * is with fewer than two zones or no CPU at all (then: empty).
 */
public final class ZoneRatios {

  public static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  private ZoneRatios() {}

  /** CPU share per zone (sorted by zone), or empty when the node information is insufficient. */
  public static Optional<Map<String, Double>> of(Collection<Node> nodes) {
    Map<String, Long> milliByZone = new TreeMap<>();
    long total = 0;
    for (Node node : nodes) {
      Map<String, String> labels =
          node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
      if (labels.containsKey("node-role.kubernetes.io/control-plane")
          || labels.containsKey("node-role.kubernetes.io/master")
          || !isReady(node)) {
        continue;
      }
      String zone = labels.get(ZONE_LABEL);
      long cpu = allocatableMilliCpu(node);
      if (zone == null || zone.isEmpty() || cpu == 0) {
        return Optional.empty();
      }
      milliByZone.merge(zone, cpu, Long::sum);
      total += cpu;
    }
    if (total == 0 || milliByZone.size() < 2) {
      return Optional.empty();
    }
    Map<String, Double> ratios = new TreeMap<>();
    for (Map.Entry<String, Long> e : milliByZone.entrySet()) {
      ratios.put(e.getKey(), (double) e.getValue() / (double) total);
    }
    return Optional.of(ratios);
  }

  static boolean isReady(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return false;
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  /** {@code status.allocatable.cpu} in millicores, rounded up as {@code MilliValue}; 0 if unset. */
  static long allocatableMilliCpu(Node node) {
    if (node.getStatus() == null || node.getStatus().getAllocatable() == null) {
      return 0;
    }
    Quantity q = node.getStatus().getAllocatable().get("cpu");
    if (q == null) {
      return 0;
    }
    BigDecimal cores = Quantity.getAmountInBytes(q);
    return cores.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValue();
  }
}
