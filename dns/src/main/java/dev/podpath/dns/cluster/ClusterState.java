package dev.podpath.dns.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;

/**
 * The API objects cluster DNS reads, as CoreDNS's informers hold them: Services, the EndpointSlices
 * tied to them by the {@code kubernetes.io/service-name} label, Pods (for {@code pods verified}),
 * and which Namespaces exist.
 */
public interface ClusterState {

  /** Every Service, in a stable order. */
  List<Service> services();

  /** Every EndpointSlice, in a stable order. */
  List<EndpointSlice> endpointSlices();

  /** Every Pod, in a stable order. */
  List<Pod> pods();

  /** Whether a Namespace of that name exists (CoreDNS answers nothing in one that does not). */
  boolean namespaceExists(String namespace);

  /** Whether the caches have synced; before that NXDOMAIN answers become SERVFAIL. */
  default boolean synced() {
    return true;
  }
}
