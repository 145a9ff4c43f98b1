package dev.podpath.kube.scheduler;

import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.Operator;
import dev.podpath.kube.select.Requirement;
import dev.podpath.kube.select.Selector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A pod (anti-)affinity term as kube-scheduler's {@code AffinityTerm}: the label selector (with
 * {@code matchLabelKeys} / {@code mismatchLabelKeys} merged in from the owning pod's labels), the
 * namespaces it looks in — the listed ones, plus those its {@code namespaceSelector} selects, or
 * the owning pod's own namespace when both are absent — the topology key and, for preferred terms,
 * the weight.
 */
record AffinityTerm(
    Selector selector,
    Set<String> namespaces,
    Optional<Selector> namespaceSelector,
    String topologyKey,
    int weight) {

  /** The term of {@code owner}'s affinity. */
  static AffinityTerm of(PodAffinityTerm t, Pod owner, int weight) {
    Map<String, String> labels = SchedulerPlanner.labels(owner);
    Selector selector = LabelSelectors.fromLabelSelector(t.getLabelSelector());
    List<Requirement> extra = new ArrayList<>();
    for (String key : nonNull(t.getMatchLabelKeys())) {
      if (labels.containsKey(key)) {
        extra.add(new Requirement(key, Operator.IN, List.of(labels.get(key))));
      }
    }
    for (String key : nonNull(t.getMismatchLabelKeys())) {
      if (labels.containsKey(key)) {
        extra.add(new Requirement(key, Operator.NOT_IN, List.of(labels.get(key))));
      }
    }
    if (!extra.isEmpty() && selector instanceof Selector.All all) {
      extra.addAll(all.requirements());
      selector = new Selector.All(extra);
    }
    Set<String> namespaces = new TreeSet<>(nonNull(t.getNamespaces()));
    Optional<Selector> nsSelector =
        t.getNamespaceSelector() == null
            ? Optional.empty()
            : Optional.of(LabelSelectors.fromLabelSelector(t.getNamespaceSelector()));
    if (namespaces.isEmpty() && nsSelector.isEmpty()) {
      namespaces.add(SchedulerPlanner.namespace(owner));
    }
    return new AffinityTerm(
        selector, Set.copyOf(namespaces), nsSelector, t.getTopologyKey(), weight);
  }

  /** Whether {@code pod} (whose namespace carries {@code namespaceLabels}) matches the term. */
  boolean matches(Pod pod, Map<String, String> namespaceLabels) {
    boolean inNamespace =
        namespaces.contains(SchedulerPlanner.namespace(pod))
            || namespaceSelector.map(s -> s.matches(namespaceLabels)).orElse(false);
    return inNamespace && selector.matches(SchedulerPlanner.labels(pod));
  }

  private static List<String> nonNull(List<String> l) {
    return l == null ? List.of() : l;
  }
}
