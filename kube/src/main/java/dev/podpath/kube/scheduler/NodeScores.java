package dev.podpath.kube.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The default profile's node-local score plugins: NodeResourcesFit (LeastAllocated over cpu and
 * memory, with the scheduler's non-zero defaults of 100m and 200Mi for containers that request
 * nothing), NodeResourcesBalancedAllocation, TaintToleration (untolerated PreferNoSchedule taints)
 * and NodeAffinity (preferred terms), each normalized to 0–100 as upstream does.
 */
final class NodeScores {

  static final long DEFAULT_MILLI_CPU = 100;
  static final long DEFAULT_MEMORY = 200L * 1024 * 1024;

  private NodeScores() {}

  /** NodeResourcesFit, LeastAllocated strategy: mean over cpu and memory of free share × 100. */
  static long leastAllocated(Pod pod, Node node, List<Pod> onNode) {
    long[] alloc = allocatable(node);
    long[] req = {nonZero(pod, "cpu"), nonZero(pod, "memory")};
    for (Pod p : onNode) {
      req[0] += nonZero(p, "cpu");
      req[1] += nonZero(p, "memory");
    }
    long sum = 0;
    long weights = 0;
    for (int i = 0; i < 2; i++) {
      if (alloc[i] == 0) {
        continue;
      }
      sum +=
          req[i] > alloc[i] ? 0 : (alloc[i] - req[i]) * SchedulerPlanner.MAX_NODE_SCORE / alloc[i];
      weights++;
    }
    return weights == 0 ? 0 : sum / weights;
  }

  /** NodeResourcesBalancedAllocation: (1 − the standard deviation of the requested fractions). */
  static long balanced(Pod pod, Node node, List<Pod> onNode) {
    long[] alloc = allocatable(node);
    long[] req = {requested(pod, "cpu"), requested(pod, "memory")};
    for (Pod p : onNode) {
      req[0] += requested(p, "cpu");
      req[1] += requested(p, "memory");
    }
    List<Double> fractions = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      if (alloc[i] != 0) {
        fractions.add(Math.min(1.0, (double) req[i] / alloc[i]));
      }
    }
    double std = fractions.size() == 2 ? Math.abs((fractions.get(0) - fractions.get(1)) / 2) : 0;
    return (long) ((1 - std) * SchedulerPlanner.MAX_NODE_SCORE);
  }

  /**
   * TaintToleration: fewer untolerated PreferNoSchedule taints score higher (reverse-normalized).
   */
  static Map<String, Long> taintToleration(Pod pod, List<Node> feasible) {
    List<Toleration> tolerations = new ArrayList<>();
    if (pod.getSpec().getTolerations() != null) {
      for (Toleration t : pod.getSpec().getTolerations()) {
        if (t.getEffect() == null
            || t.getEffect().isEmpty()
            || t.getEffect().equals("PreferNoSchedule")) {
          tolerations.add(t);
        }
      }
    }
    Map<String, Long> raw = new HashMap<>();
    for (Node n : feasible) {
      long count = 0;
      if (n.getSpec() != null && n.getSpec().getTaints() != null) {
        for (Taint t : n.getSpec().getTaints()) {
          if ("PreferNoSchedule".equals(t.getEffect()) && !NodeFilters.tolerates(tolerations, t)) {
            count++;
          }
        }
      }
      raw.put(SchedulerPlanner.name(n), count);
    }
    return normalize(raw, true);
  }

  /** NodeAffinity: the weights of the preferred terms a node matches, normalized to the highest. */
  static Map<String, Long> nodeAffinity(Pod pod, List<Node> feasible) {
    var a = pod.getSpec().getAffinity();
    List<PreferredSchedulingTerm> terms =
        a == null
                || a.getNodeAffinity() == null
                || a.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() == null
            ? List.of()
            : a.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
    Map<String, Long> raw = new HashMap<>();
    for (Node n : feasible) {
      long sum = 0;
      for (PreferredSchedulingTerm t : terms) {
        NodeSelectorTerm term = t.getPreference();
        if (t.getWeight() != null
            && term != null
            && NodeFilters.termMatches(
                term, SchedulerPlanner.name(n), SchedulerPlanner.labels(n))) {
          sum += t.getWeight();
        }
      }
      raw.put(SchedulerPlanner.name(n), sum);
    }
    return normalize(raw, false);
  }

  /** helper.DefaultNormalizeScore: scaled to the highest; reversed when asked. */
  private static Map<String, Long> normalize(Map<String, Long> raw, boolean reverse) {
    long max = raw.values().stream().mapToLong(Long::longValue).max().orElse(0);
    Map<String, Long> out = new HashMap<>();
    raw.forEach(
        (k, v) -> {
          if (max == 0) {
            out.put(k, reverse ? SchedulerPlanner.MAX_NODE_SCORE : v);
          } else {
            long s = SchedulerPlanner.MAX_NODE_SCORE * v / max;
            out.put(k, reverse ? SchedulerPlanner.MAX_NODE_SCORE - s : s);
          }
        });
    return out;
  }

  /** cpu in millicores and memory in bytes that the node offers (allocatable, else capacity). */
  private static long[] allocatable(Node node) {
    Map<String, Quantity> alloc = SchedulerPlanner.allocatable(node);
    return new long[] {
      alloc.containsKey("cpu") ? milli(Quantity.getAmountInBytes(alloc.get("cpu"))) : 0,
      alloc.containsKey("memory") ? Quantity.getAmountInBytes(alloc.get("memory")).longValue() : 0
    };
  }

  /** The pod's request of cpu (millicores) or memory (bytes), 0 where containers ask none. */
  private static long requested(Pod pod, String resource) {
    BigDecimal r = SchedulerPlanner.request(pod, resource);
    return resource.equals("cpu") ? milli(r) : r.longValue();
  }

  /** GetNonzeroRequests: a container without a request of the resource counts the default. */
  private static long nonZero(Pod pod, String resource) {
    long sum = 0;
    for (Container c : pod.getSpec().getContainers()) {
      Map<String, Quantity> req =
          c.getResources() == null || c.getResources().getRequests() == null
              ? Map.of()
              : c.getResources().getRequests();
      if (req.containsKey(resource)) {
        BigDecimal v = Quantity.getAmountInBytes(req.get(resource));
        sum += resource.equals("cpu") ? milli(v) : v.longValue();
      } else {
        sum += resource.equals("cpu") ? DEFAULT_MILLI_CPU : DEFAULT_MEMORY;
      }
    }
    return sum;
  }

  private static long milli(BigDecimal cores) {
    return cores.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValue();
  }
}
