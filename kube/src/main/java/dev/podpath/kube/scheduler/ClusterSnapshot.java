package dev.podpath.kube.scheduler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one scheduling decision reads (kube-scheduler's snapshot and listers): every node, the pods
 * assigned to nodes, namespace labels (for {@code namespaceSelector}), and the Services,
 * ReplicaSets and StatefulSets from which the default topology spreading builds its selector.
 */
public record ClusterSnapshot(
    List<Node> nodes,
    List<Pod> assigned,
    Map<String, Map<String, String>> namespaceLabels,
    List<Service> services,
    List<ReplicaSet> replicaSets,
    List<StatefulSet> statefulSets) {

  public ClusterSnapshot {
    List<Node> sorted = new ArrayList<>(nodes);
    sorted.sort(Comparator.comparing(n -> n.getMetadata().getName()));
    nodes = List.copyOf(sorted);
    assigned = List.copyOf(assigned);
    namespaceLabels = Map.copyOf(namespaceLabels);
    services = List.copyOf(services);
    replicaSets = List.copyOf(replicaSets);
    statefulSets = List.copyOf(statefulSets);
  }

  /** Nodes and assigned pods only: no namespace labels, no Services or workloads. */
  public static ClusterSnapshot of(List<Node> nodes, List<Pod> assigned) {
    return new ClusterSnapshot(nodes, assigned, Map.of(), List.of(), List.of(), List.of());
  }

  /** Namespace name to its labels, from Namespace objects. */
  public static Map<String, Map<String, String>> labelsOf(List<Namespace> namespaces) {
    Map<String, Map<String, String>> out = new TreeMap<>();
    for (Namespace ns : namespaces) {
      Map<String, String> l = ns.getMetadata().getLabels();
      out.put(ns.getMetadata().getName(), l == null ? Map.of() : l);
    }
    return out;
  }

  /** The labels of a namespace (empty when unknown). */
  Map<String, String> labelsOfNamespace(String namespace) {
    return namespaceLabels.getOrDefault(namespace, Map.of());
  }
}
