package dev.podpath.policy.load;

import dev.podpath.policy.model.NamespaceInfo;
import dev.podpath.policy.model.PodInfo;
import dev.podpath.policy.model.Policy;
import dev.podpath.policy.model.ServiceInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything NetworkPolicy depends on at one moment: namespaces with labels, pods, policies. Sorted
 * by name; the {@code with...} methods return an updated copy (labels changed, policies replaced),
 * as the e2e tests change a cluster between checks.
 */
public record ClusterState(
    Map<String, NamespaceInfo> namespaces,
    List<PodInfo> pods,
    List<Policy> policies,
    List<ServiceInfo> services) {

  /** A state without Services. */
  public ClusterState(
      Map<String, NamespaceInfo> namespaces, List<PodInfo> pods, List<Policy> policies) {
    this(namespaces, pods, policies, List.of());
  }

  public ClusterState {
    var ns = new TreeMap<>(namespaces);
    for (var p : pods) {
      ns.computeIfAbsent(p.namespace(), n -> new NamespaceInfo(n, Map.of()));
    }
    for (var p : policies) {
      ns.computeIfAbsent(p.namespace(), n -> new NamespaceInfo(n, Map.of()));
    }
    namespaces = java.util.Collections.unmodifiableMap(ns);
    pods = pods.stream().sorted(Comparator.comparing(PodInfo::key)).toList();
    policies = policies.stream().sorted(Comparator.comparing(Policy::key)).toList();
    services = services.stream().sorted(Comparator.comparing(ServiceInfo::key)).toList();
  }

  public Optional<ServiceInfo> service(String namespaceSlashName) {
    return services.stream().filter(s -> s.key().equals(namespaceSlashName)).findFirst();
  }

  public Map<String, String> namespaceLabels(String namespace) {
    var ns = namespaces.get(namespace);
    return ns == null ? Map.of(NamespaceInfo.NAME_LABEL, namespace) : ns.labels();
  }

  public Optional<PodInfo> pod(String namespaceSlashName) {
    return pods.stream().filter(p -> p.key().equals(namespaceSlashName)).findFirst();
  }

  public ClusterState withPolicies(List<Policy> newPolicies) {
    return new ClusterState(namespaces, pods, newPolicies, services);
  }

  /** This state with labels added to (or overwritten on) a pod. */
  public ClusterState withPodLabels(String podKey, Map<String, String> added) {
    var out = new ArrayList<PodInfo>();
    for (var p : pods) {
      if (p.key().equals(podKey)) {
        var l = new TreeMap<>(p.labels());
        l.putAll(added);
        out.add(p.withLabels(l));
      } else {
        out.add(p);
      }
    }
    return new ClusterState(namespaces, out, policies, services);
  }

  /** This state with labels added to (or overwritten on) a namespace. */
  public ClusterState withNamespaceLabels(String namespace, Map<String, String> added) {
    var ns = new TreeMap<>(namespaces);
    var l = new TreeMap<>(namespaceLabels(namespace));
    l.putAll(added);
    ns.put(namespace, new NamespaceInfo(namespace, l));
    return new ClusterState(ns, pods, policies, services);
  }
}
