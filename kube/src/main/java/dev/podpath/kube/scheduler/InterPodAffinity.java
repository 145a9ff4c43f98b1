package dev.podpath.kube.scheduler;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * kube-scheduler's InterPodAffinity plugin. Filter: the incoming pod's required affinity (every
 * term needs a pod matching all terms in the node's domain, or — for the first of a group with
 * affinity to itself — no such pod anywhere and the pod matching its own terms), its required
 * anti-affinity (no matching pod in the node's domain) and existing pods' required anti-affinity
 * against it. Score: preferred terms both ways (+/- weight), existing pods' required affinity terms
 * with the hard-affinity weight 1, normalized to 0–100 between the lowest and highest node.
 */
final class InterPodAffinity {

  static final String AFFINITY = "node(s) didn't match pod affinity rules";
  static final String ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
  static final String EXISTING_ANTI_AFFINITY =
      "node(s) didn't satisfy existing pods anti-affinity rules";

  /** {@code hardPodAffinityWeight} of the default InterPodAffinityArgs. */
  static final int HARD_POD_AFFINITY_WEIGHT = 1;

  private record Pair(String key, String value) {}

  private InterPodAffinity() {}

  /** PreFilter's counts of topology pairs; {@link #filter} reads them per node. */
  static final class State {
    private final Pod pod;
    private final List<AffinityTerm> affinity;
    private final List<AffinityTerm> antiAffinity;
    private final Map<Pair, Long> affinityCounts = new HashMap<>();
    private final Map<Pair, Long> antiAffinityCounts = new HashMap<>();
    private final Map<Pair, Long> existingAntiAffinityCounts = new HashMap<>();

    private State(Pod pod) {
      this.pod = pod;
      this.affinity = requiredAffinity(pod);
      this.antiAffinity = requiredAntiAffinity(pod);
    }
  }

  static State preFilter(Pod pod, ClusterSnapshot s, Map<String, List<Pod>> byNode) {
    State st = new State(pod);
    Map<String, String> podNsLabels = s.labelsOfNamespace(SchedulerPlanner.namespace(pod));
    for (Node node : s.nodes()) {
      for (Pod existing : byNode.getOrDefault(SchedulerPlanner.name(node), List.of())) {
        for (AffinityTerm t : requiredAntiAffinity(existing)) {
          if (t.matches(pod, podNsLabels)) {
            add(st.existingAntiAffinityCounts, node, t.topologyKey(), 1);
          }
        }
        Map<String, String> nsLabels = s.labelsOfNamespace(SchedulerPlanner.namespace(existing));
        if (matchesAll(st.affinity, existing, nsLabels)) {
          for (AffinityTerm t : st.affinity) {
            add(st.affinityCounts, node, t.topologyKey(), 1);
          }
        }
        for (AffinityTerm t : st.antiAffinity) {
          if (t.matches(existing, nsLabels)) {
            add(st.antiAffinityCounts, node, t.topologyKey(), 1);
          }
        }
      }
    }
    return st;
  }

  static Optional<Rejection> filter(State st, Node node, ClusterSnapshot s) {
    Map<String, String> labels = SchedulerPlanner.labels(node);
    boolean podsExist = true;
    for (AffinityTerm t : st.affinity) {
      String value = labels.get(t.topologyKey());
      if (value == null) {
        return Optional.of(Rejection.unresolvable(AFFINITY)); // all topology labels must exist
      }
      if (st.affinityCounts.getOrDefault(new Pair(t.topologyKey(), value), 0L) <= 0) {
        podsExist = false;
      }
    }
    if (!podsExist
        && !(st.affinityCounts.isEmpty()
            && matchesAll(
                st.affinity, st.pod, s.labelsOfNamespace(SchedulerPlanner.namespace(st.pod))))) {
      return Optional.of(Rejection.unresolvable(AFFINITY));
    }
    for (AffinityTerm t : st.antiAffinity) {
      String value = labels.get(t.topologyKey());
      if (value != null
          && st.antiAffinityCounts.getOrDefault(new Pair(t.topologyKey(), value), 0L) > 0) {
        return Optional.of(Rejection.unschedulable(ANTI_AFFINITY));
      }
    }
    for (var e : labels.entrySet()) {
      if (st.existingAntiAffinityCounts.getOrDefault(new Pair(e.getKey(), e.getValue()), 0L) > 0) {
        return Optional.of(Rejection.unschedulable(EXISTING_ANTI_AFFINITY));
      }
    }
    return Optional.empty();
  }

  /** Scores of the feasible nodes, normalized to 0–100 (all 0 when nothing distinguishes them). */
  static Map<String, Long> score(
      Pod pod, ClusterSnapshot s, Map<String, List<Pod>> byNode, List<Node> feasible) {
    List<AffinityTerm> preferred = preferred(pod, true);
    List<AffinityTerm> preferredAnti = preferred(pod, false);
    Map<String, String> podNsLabels = s.labelsOfNamespace(SchedulerPlanner.namespace(pod));
    Map<Pair, Long> topologyScore = new HashMap<>();
    for (Node node : s.nodes()) {
      if (SchedulerPlanner.labels(node).isEmpty()) {
        continue; // no topology value to credit
      }
      for (Pod existing : byNode.getOrDefault(SchedulerPlanner.name(node), List.of())) {
        Map<String, String> nsLabels = s.labelsOfNamespace(SchedulerPlanner.namespace(existing));
        for (AffinityTerm t : preferred) {
          credit(topologyScore, t, existing, nsLabels, node, t.weight());
        }
        for (AffinityTerm t : preferredAnti) {
          credit(topologyScore, t, existing, nsLabels, node, -t.weight());
        }
        for (AffinityTerm t : requiredAffinity(existing)) {
          credit(topologyScore, t, pod, podNsLabels, node, HARD_POD_AFFINITY_WEIGHT);
        }
        for (AffinityTerm t : preferred(existing, true)) {
          credit(topologyScore, t, pod, podNsLabels, node, t.weight());
        }
        for (AffinityTerm t : preferred(existing, false)) {
          credit(topologyScore, t, pod, podNsLabels, node, -t.weight());
        }
      }
    }
    Map<String, Long> raw = new HashMap<>();
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Node n : feasible) {
      long sum = 0;
      for (var e : SchedulerPlanner.labels(n).entrySet()) {
        sum += topologyScore.getOrDefault(new Pair(e.getKey(), e.getValue()), 0L);
      }
      raw.put(SchedulerPlanner.name(n), sum);
      min = Math.min(min, sum);
      max = Math.max(max, sum);
    }
    Map<String, Long> out = new HashMap<>();
    long diff = max - min;
    for (var e : raw.entrySet()) {
      out.put(
          e.getKey(),
          diff > 0
              ? (long) (SchedulerPlanner.MAX_NODE_SCORE * ((double) (e.getValue() - min) / diff))
              : 0L);
    }
    return out;
  }

  private static void credit(
      Map<Pair, Long> scores,
      AffinityTerm t,
      Pod target,
      Map<String, String> targetNsLabels,
      Node node,
      long weight) {
    String value = SchedulerPlanner.labels(node).get(t.topologyKey());
    if (value != null && t.matches(target, targetNsLabels)) {
      scores.merge(new Pair(t.topologyKey(), value), weight, Long::sum);
    }
  }

  private static void add(Map<Pair, Long> counts, Node node, String key, long n) {
    String value = SchedulerPlanner.labels(node).get(key);
    if (value != null) {
      counts.merge(new Pair(key, value), n, Long::sum);
    }
  }

  private static boolean matchesAll(
      List<AffinityTerm> terms, Pod pod, Map<String, String> nsLabels) {
    if (terms.isEmpty()) {
      return false;
    }
    for (AffinityTerm t : terms) {
      if (!t.matches(pod, nsLabels)) {
        return false;
      }
    }
    return true;
  }

  static List<AffinityTerm> requiredAffinity(Pod pod) {
    return required(
        pod,
        a ->
            a.getPodAffinity() == null
                ? null
                : a.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution());
  }

  static List<AffinityTerm> requiredAntiAffinity(Pod pod) {
    return required(
        pod,
        a ->
            a.getPodAntiAffinity() == null
                ? null
                : a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution());
  }

  private static List<AffinityTerm> required(
      Pod pod, Function<Affinity, List<PodAffinityTerm>> terms) {
    Affinity a = pod.getSpec().getAffinity();
    List<PodAffinityTerm> list = a == null ? null : terms.apply(a);
    if (list == null || list.isEmpty()) {
      return List.of();
    }
    List<AffinityTerm> out = new ArrayList<>();
    for (PodAffinityTerm t : list) {
      out.add(AffinityTerm.of(t, pod, 0));
    }
    return out;
  }

  private static List<AffinityTerm> preferred(Pod pod, boolean affinity) {
    Affinity a = pod.getSpec().getAffinity();
    List<WeightedPodAffinityTerm> list = null;
    if (a != null && affinity && a.getPodAffinity() != null) {
      list = a.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
    } else if (a != null && !affinity && a.getPodAntiAffinity() != null) {
      list = a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
    }
    if (list == null || list.isEmpty()) {
      return List.of();
    }
    List<AffinityTerm> out = new ArrayList<>();
    for (WeightedPodAffinityTerm w : list) {
      if (w.getPodAffinityTerm() != null) {
        out.add(
            AffinityTerm.of(
                w.getPodAffinityTerm(), pod, w.getWeight() == null ? 0 : w.getWeight()));
      }
    }
    return out;
  }
}
