package dev.podpath.dns.cluster;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the EndpointSliceMirroring controller makes of a v1 Endpoints object: one slice per subset
 * and address family, ready addresses with {@code ready: true}, not-ready ones with {@code ready:
 * false}, hostnames and target references kept.
 */
public final class EndpointsMirror {

  /** The label tying a slice to its Service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private EndpointsMirror() {}

  /** The Service a slice belongs to ("" when unlabelled). */
  public static String serviceName(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    return labels == null ? "" : labels.getOrDefault(SERVICE_NAME_LABEL, "");
  }

  /** The slices mirrored from {@code endpoints}. */
  public static List<EndpointSlice> mirror(Endpoints endpoints) {
    List<EndpointSlice> out = new ArrayList<>();
    String name = endpoints.getMetadata().getName();
    String ns =
        endpoints.getMetadata().getNamespace() == null
            ? "default"
            : endpoints.getMetadata().getNamespace();
    int index = 0;
    for (EndpointSubset subset : endpoints.getSubsets()) {
      List<EndpointPort> ports = new ArrayList<>();
      for (var p : subset.getPorts()) {
        ports.add(
            new EndpointPortBuilder()
                .withName(p.getName())
                .withPort(p.getPort())
                .withProtocol(p.getProtocol() == null ? "TCP" : p.getProtocol())
                .build());
      }
      for (IpFamily family : IpFamily.values()) {
        List<Endpoint> eps = new ArrayList<>();
        subset.getAddresses().stream()
            .filter(a -> familyOf(a) == family)
            .forEach(a -> eps.add(endpoint(a, true)));
        subset.getNotReadyAddresses().stream()
            .filter(a -> familyOf(a) == family)
            .forEach(a -> eps.add(endpoint(a, false)));
        if (eps.isEmpty()) {
          continue;
        }
        out.add(
            new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(name + "-mirror-" + index++)
                .withNamespace(ns)
                .addToLabels(SERVICE_NAME_LABEL, name)
                .addToLabels(
                    "endpointslice.kubernetes.io/managed-by",
                    "endpointslicemirroring-controller.k8s.io")
                .endMetadata()
                .withAddressType(family == IpFamily.IPV4 ? "IPv4" : "IPv6")
                .withPorts(ports)
                .withEndpoints(eps)
                .build());
      }
    }
    return out;
  }

  private static IpFamily familyOf(EndpointAddress a) {
    return IpAddress.parse(a.getIp()).family();
  }

  private static Endpoint endpoint(EndpointAddress a, boolean ready) {
    var b =
        new EndpointBuilder()
            .withAddresses(a.getIp())
            .withHostname(a.getHostname())
            .withNewConditions()
            .withReady(ready)
            .endConditions();
    if (a.getTargetRef() != null) {
      b.withTargetRef(a.getTargetRef());
    }
    if (a.getNodeName() != null) {
      b.withNodeName(a.getNodeName());
    }
    return b.build();
  }
}
