package dev.podpath.kube.scheduler;

import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.Operator;
import dev.podpath.kube.select.Requirement;
import dev.podpath.kube.select.Selector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * kube-scheduler's PodTopologySpread plugin. A pod's {@code topologySpreadConstraints} (its {@code
 * DoNotSchedule} ones filter, its {@code ScheduleAnyway} ones score); a pod without any gets the
 * scheduler's system defaults — {@code kubernetes.io/hostname} maxSkew 3 and {@code
 * topology.kubernetes.io/zone} maxSkew 5, both ScheduleAnyway — over a selector built from the
 * Services selecting the pod and its ReplicaSet or StatefulSet (none when that selector is empty).
 *
 * <p>Pods counted: same namespace, matching the selector (with {@code matchLabelKeys} merged in),
 * not terminating, on nodes that carry every constraint's topology key and pass the constraint's
 * {@code nodeAffinityPolicy} (default Honor: the pod's nodeSelector and required node affinity) and
 * {@code nodeTaintsPolicy} (default Ignore). Filter: a node without the key fails; otherwise the
 * skew — matching pods in the node's domain, plus one if the pod matches itself, minus the global
 * minimum over domains (0 when fewer domains than {@code minDomains}) — must not exceed maxSkew.
 */
final class TopologySpread {

  static final String HOSTNAME = "kubernetes.io/hostname";
  static final String ZONE = "topology.kubernetes.io/zone";
  static final String NOT_MATCH = "node(s) didn't match pod topology spread constraints";
  static final String MISSING_LABEL = NOT_MATCH + " (missing required label)";
  static final String DO_NOT_SCHEDULE = "DoNotSchedule";
  static final String SCHEDULE_ANYWAY = "ScheduleAnyway";

  /** One constraint with its selector resolved and its defaults applied. */
  record Constraint(
      int maxSkew,
      String topologyKey,
      Selector selector,
      int minDomains,
      boolean honorNodeAffinity,
      boolean honorNodeTaints) {}

  private TopologySpread() {}

  /**
   * The pod's constraints for {@code action}; for a pod without constraints and {@code
   * ScheduleAnyway}, the system defaults.
   */
  static List<Constraint> constraints(Pod pod, String action, ClusterSnapshot s) {
    List<TopologySpreadConstraint> own = pod.getSpec().getTopologySpreadConstraints();
    if (own != null && !own.isEmpty()) {
      List<Constraint> out = new ArrayList<>();
      for (TopologySpreadConstraint c : own) {
        if (action.equals(c.getWhenUnsatisfiable())) {
          out.add(resolve(c, pod));
        }
      }
      return out;
    }
    if (!action.equals(SCHEDULE_ANYWAY)) {
      return List.of();
    }
    Selector selector = defaultSelector(pod, s);
    if (selector.isEverything()) {
      return List.of();
    }
    return List.of(
        new Constraint(3, HOSTNAME, selector, 1, true, false),
        new Constraint(5, ZONE, selector, 1, true, false));
  }

  private static Constraint resolve(TopologySpreadConstraint c, Pod pod) {
    Selector selector = LabelSelectors.fromLabelSelector(c.getLabelSelector());
    Map<String, String> labels = SchedulerPlanner.labels(pod);
    List<Requirement> merged = new ArrayList<>();
    if (c.getMatchLabelKeys() != null) {
      for (String key : c.getMatchLabelKeys()) {
        if (labels.containsKey(key)) {
          merged.add(new Requirement(key, Operator.EQUALS, List.of(labels.get(key))));
        }
      }
    }
    if (!merged.isEmpty()) {
      if (selector instanceof Selector.All all) {
        merged.addAll(all.requirements());
      }
      selector = new Selector.All(merged); // a null labelSelector has no requirements to add
    }
    return new Constraint(
        c.getMaxSkew() == null ? 1 : c.getMaxSkew(),
        c.getTopologyKey(),
        selector,
        c.getMinDomains() == null ? 1 : c.getMinDomains(),
        !"Ignore".equals(c.getNodeAffinityPolicy()),
        "Honor".equals(c.getNodeTaintsPolicy()));
  }

  /** helper.DefaultSelector: Services' selectors merged, plus the ReplicaSet's or StatefulSet's. */
  static Selector defaultSelector(Pod pod, ClusterSnapshot s) {
    String ns = SchedulerPlanner.namespace(pod);
    Map<String, String> labels = SchedulerPlanner.labels(pod);
    Map<String, String> set = new TreeMap<>();
    for (Service svc : s.services()) {
      if (ns.equals(SchedulerPlanner.namespace(svc))
          && svc.getSpec() != null
          && LabelSelectors.fromMap(svc.getSpec().getSelector()).matches(labels)
          && svc.getSpec().getSelector() != null) {
        set.putAll(svc.getSpec().getSelector());
      }
    }
    List<Requirement> reqs = new ArrayList<>();
    set.forEach((k, v) -> reqs.add(new Requirement(k, Operator.EQUALS, List.of(v))));
    for (OwnerReference ref : pod.getMetadata().getOwnerReferences()) {
      if (!Boolean.TRUE.equals(ref.getController())) {
        continue;
      }
      if ("ReplicaSet".equals(ref.getKind()) && "apps/v1".equals(ref.getApiVersion())) {
        for (ReplicaSet rs : s.replicaSets()) {
          if (ns.equals(SchedulerPlanner.namespace(rs))
              && ref.getName().equals(rs.getMetadata().getName())) {
            addRequirements(reqs, LabelSelectors.fromLabelSelector(rs.getSpec().getSelector()));
          }
        }
      } else if ("StatefulSet".equals(ref.getKind()) && "apps/v1".equals(ref.getApiVersion())) {
        for (StatefulSet ss : s.statefulSets()) {
          if (ns.equals(SchedulerPlanner.namespace(ss))
              && ref.getName().equals(ss.getMetadata().getName())) {
            addRequirements(reqs, LabelSelectors.fromLabelSelector(ss.getSpec().getSelector()));
          }
        }
      }
    }
    return new Selector.All(reqs);
  }

  private static void addRequirements(List<Requirement> reqs, Selector sel) {
    if (sel instanceof Selector.All all) {
      reqs.addAll(all.requirements());
    }
  }

  /**
   * PreFilter's matching-pod counts per domain for the DoNotSchedule constraints, and each
   * constraint's global minimum (already 0 when there are fewer domains than minDomains).
   */
  record FilterState(
      List<Constraint> constraints, List<Map<String, Integer>> counts, List<Integer> minimums) {}

  static FilterState preFilter(Pod pod, ClusterSnapshot s, Map<String, List<Pod>> byNode) {
    List<Constraint> cs = constraints(pod, DO_NOT_SCHEDULE, s);
    List<Map<String, Integer>> counts = new ArrayList<>();
    for (int i = 0; i < cs.size(); i++) {
      counts.add(new HashMap<>());
    }
    for (Node node : s.nodes()) {
      if (!hasAllKeys(node, cs)) {
        continue;
      }
      List<Pod> pods = byNode.getOrDefault(SchedulerPlanner.name(node), List.of());
      for (int i = 0; i < cs.size(); i++) {
        Constraint c = cs.get(i);
        if (included(c, pod, node)) {
          int n = count(pods, c.selector(), SchedulerPlanner.namespace(pod));
          counts.get(i).merge(SchedulerPlanner.labels(node).get(c.topologyKey()), n, Integer::sum);
        }
      }
    }
    List<Integer> minimums = new ArrayList<>();
    for (int i = 0; i < cs.size(); i++) {
      Map<String, Integer> domains = counts.get(i);
      int min =
          domains.values().stream().mapToInt(Integer::intValue).min().orElse(Integer.MAX_VALUE);
      minimums.add(domains.size() < cs.get(i).minDomains() ? 0 : min);
    }
    return new FilterState(cs, counts, minimums);
  }

  static Optional<Rejection> filter(FilterState st, Pod pod, Node node) {
    Map<String, String> labels = SchedulerPlanner.labels(node);
    for (int i = 0; i < st.constraints().size(); i++) {
      Constraint c = st.constraints().get(i);
      String value = labels.get(c.topologyKey());
      if (value == null) {
        return Optional.of(Rejection.unresolvable(MISSING_LABEL));
      }
      Map<String, Integer> domains = st.counts().get(i);
      int min = st.minimums().get(i);
      int self = c.selector().matches(SchedulerPlanner.labels(pod)) ? 1 : 0;
      long skew = (long) domains.getOrDefault(value, 0) + self - min;
      if (skew > c.maxSkew()) {
        return Optional.of(Rejection.unschedulable(NOT_MATCH));
      }
    }
    return Optional.empty();
  }

  /**
   * Scores of the feasible nodes for the ScheduleAnyway constraints, normalized to 0–100 (fewer
   * matching pods in a node's domains score higher); nodes lacking a topology key score 0.
   */
  static Map<String, Long> score(
      Pod pod, ClusterSnapshot s, Map<String, List<Pod>> byNode, List<Node> feasible) {
    Map<String, Long> out = new HashMap<>();
    List<Constraint> cs = constraints(pod, SCHEDULE_ANYWAY, s);
    if (cs.isEmpty()) {
      feasible.forEach(n -> out.put(SchedulerPlanner.name(n), 0L));
      return out;
    }
    List<TopologySpreadConstraint> own = pod.getSpec().getTopologySpreadConstraints();
    boolean requireAll = own != null && !own.isEmpty(); // system defaults do not require all keys
    String ns = SchedulerPlanner.namespace(pod);
    Set<String> ignored = new HashSet<>();
    List<Map<String, Long>> counts = new ArrayList<>();
    for (int i = 0; i < cs.size(); i++) {
      counts.add(new HashMap<>());
    }
    for (Node n : feasible) {
      if (requireAll && !hasAllKeys(n, cs)) {
        ignored.add(SchedulerPlanner.name(n));
        continue;
      }
      for (int i = 0; i < cs.size(); i++) {
        if (!cs.get(i).topologyKey().equals(HOSTNAME)) {
          counts.get(i).putIfAbsent(valueOrEmpty(n, cs.get(i).topologyKey()), 0L);
        }
      }
    }
    double[] weight = new double[cs.size()];
    for (int i = 0; i < cs.size(); i++) {
      int size =
          cs.get(i).topologyKey().equals(HOSTNAME)
              ? feasible.size() - ignored.size()
              : counts.get(i).size();
      weight[i] = Math.log(size + 2);
    }
    for (Node n : s.nodes()) {
      if (requireAll && !hasAllKeys(n, cs)) {
        continue;
      }
      List<Pod> pods = byNode.getOrDefault(SchedulerPlanner.name(n), List.of());
      for (int i = 0; i < cs.size(); i++) {
        Constraint c = cs.get(i);
        String value = valueOrEmpty(n, c.topologyKey());
        if (included(c, pod, n) && counts.get(i).containsKey(value)) {
          counts.get(i).merge(value, (long) count(pods, c.selector(), ns), Long::sum);
        }
      }
    }
    Map<String, Long> raw = new HashMap<>();
    for (Node n : feasible) {
      String name = SchedulerPlanner.name(n);
      if (ignored.contains(name)) {
        continue;
      }
      double score = 0;
      for (int i = 0; i < cs.size(); i++) {
        Constraint c = cs.get(i);
        String value = SchedulerPlanner.labels(n).get(c.topologyKey());
        if (value == null) {
          continue;
        }
        long cnt =
            c.topologyKey().equals(HOSTNAME)
                ? count(byNode.getOrDefault(name, List.of()), c.selector(), ns)
                : counts.get(i).getOrDefault(value, 0L);
        score += cnt * weight[i] + (c.maxSkew() - 1);
      }
      raw.put(name, Math.round(score));
    }
    long min = raw.values().stream().mapToLong(Long::longValue).min().orElse(0);
    long max = raw.values().stream().mapToLong(Long::longValue).max().orElse(0);
    for (Node n : feasible) {
      String name = SchedulerPlanner.name(n);
      Long r = raw.get(name);
      if (r == null) {
        out.put(name, 0L);
      } else if (max == 0) {
        out.put(name, SchedulerPlanner.MAX_NODE_SCORE);
      } else {
        out.put(name, SchedulerPlanner.MAX_NODE_SCORE * (max + min - r) / max);
      }
    }
    return out;
  }

  private static String valueOrEmpty(Node n, String key) {
    return SchedulerPlanner.labels(n).getOrDefault(key, "");
  }

  private static boolean hasAllKeys(Node node, List<Constraint> cs) {
    Map<String, String> labels = SchedulerPlanner.labels(node);
    for (Constraint c : cs) {
      if (!labels.containsKey(c.topologyKey())) {
        return false;
      }
    }
    return true;
  }

  /** nodeAffinityPolicy / nodeTaintsPolicy: whether the node's pods count at all. */
  private static boolean included(Constraint c, Pod pod, Node node) {
    if (c.honorNodeAffinity() && NodeFilters.affinity(pod, node).isPresent()) {
      return false;
    }
    return !(c.honorNodeTaints() && NodeFilters.taints(pod, node).isPresent());
  }

  /** countPodsMatchSelector: same namespace, not terminating, selected. */
  static int count(List<Pod> pods, Selector selector, String namespace) {
    int n = 0;
    for (Pod p : pods) {
      if (p.getMetadata().getDeletionTimestamp() == null
          && namespace.equals(SchedulerPlanner.namespace(p))
          && selector.matches(SchedulerPlanner.labels(p))) {
        n++;
      }
    }
    return n;
  }
}
