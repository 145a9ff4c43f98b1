package dev.podpath.dns.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.function.Predicate;

/** An immutable {@link ClusterState}. */
public record Snapshot(
    List<Service> services,
    List<EndpointSlice> endpointSlices,
    List<Pod> pods,
    Predicate<String> namespaces,
    boolean synced)
    implements ClusterState {

  public Snapshot {
    services = List.copyOf(services);
    endpointSlices = List.copyOf(endpointSlices);
    pods = List.copyOf(pods);
  }

  @Override
  public boolean namespaceExists(String namespace) {
    return namespaces.test(namespace);
  }
}
