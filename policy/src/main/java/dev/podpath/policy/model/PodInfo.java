package dev.podpath.policy.model;

import dev.podpath.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What NetworkPolicy needs to know of a pod. */
public record PodInfo(
    String namespace,
    String name,
    Map<String, String> labels,
    List<IpAddress> ips,
    List<ContainerPort> ports,
    Network network,
    Workload workload,
    Optional<String> node) {

  /** Whether the pod has its own network namespace or shares the node's. */
  public enum Network {
    POD,
    HOST
  }

  public PodInfo {
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    ips = List.copyOf(ips);
    ports = List.copyOf(ports);
  }

  /** {@code namespace/name}. */
  public String key() {
    return namespace + "/" + name;
  }

  public PodInfo withLabels(Map<String, String> newLabels) {
    return new PodInfo(namespace, name, newLabels, ips, ports, network, workload, node);
  }
}
