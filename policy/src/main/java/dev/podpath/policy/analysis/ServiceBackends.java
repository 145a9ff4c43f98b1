package dev.podpath.policy.analysis;

import dev.podpath.net.Protocol;
import dev.podpath.policy.load.ClusterState;
import dev.podpath.policy.model.PodInfo;
import dev.podpath.policy.model.ServiceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a connection to a Service port lands after DNAT: each ready backend pod (selected by the
 * Service's selector in its namespace) with the target port, a number or the container port of that
 * name and protocol on the pod. NetworkPolicy judges the connection there.
 */
public final class ServiceBackends {

  /** One backend: the pod and the port the packet reaches after DNAT. */
  public record Backend(PodInfo pod, Protocol protocol, int port) {}

  private ServiceBackends() {}

  /** The backends of {@code ns/name} for a service port (number or name); empty if none. */
  public static List<Backend> of(ClusterState state, String service, String port) {
    ServiceInfo svc =
        state
            .service(service)
            .orElseThrow(
                () -> new IllegalArgumentException("no Service " + service + " in the manifests"));
    ServiceInfo.Port sp =
        svc.ports().stream()
            .filter(p -> p.name().equals(port) || Integer.toString(p.port()).equals(port))
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("Service " + service + " has no port " + port));
    var out = new ArrayList<Backend>();
    if (svc.selector().isEmpty()) {
      return out;
    }
    for (PodInfo p : state.pods()) {
      if (!p.namespace().equals(svc.namespace())
          || !svc.selector().entrySet().stream()
              .allMatch(e -> e.getValue().equals(p.labels().get(e.getKey())))) {
        continue;
      }
      target(p, sp).ifPresent(t -> out.add(new Backend(p, sp.protocol(), t)));
    }
    return out;
  }

  private static Optional<Integer> target(PodInfo p, ServiceInfo.Port sp) {
    if (sp.targetPort().matches("[0-9]+")) {
      return Optional.of(Integer.parseInt(sp.targetPort()));
    }
    return p.ports().stream()
        .filter(
            cp ->
                cp.protocol() == sp.protocol()
                    && cp.name().filter(sp.targetPort()::equals).isPresent())
        .map(cp -> cp.port())
        .findFirst();
  }
}
