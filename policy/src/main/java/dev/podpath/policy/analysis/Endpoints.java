package dev.podpath.policy.analysis;

import dev.podpath.net.AddressSet;
import dev.podpath.net.IpAddress;
import dev.podpath.policy.eval.Endpoint;
import dev.podpath.policy.load.ClusterState;
import dev.podpath.policy.model.PodInfo;
import java.util.Optional;

/**
 * Names accepted where an endpoint is expected: {@code ns/pod}, {@code ns/workload} (its first
 * pod), {@code ns/workload[Kind]} as reach prints it, or an IP address (the pod with that IP, else
 * an external address).
 */
public final class Endpoints {
  private Endpoints() {}

  public static Optional<Endpoint> resolve(ClusterState state, String text) {
    if (IpAddress.isValid(text)) {
      var ip = IpAddress.parse(text);
      for (PodInfo p : state.pods()) {
        if (p.ips().contains(ip)) {
          return Optional.of(new Endpoint.Pod(p));
        }
      }
      return Optional.of(new Endpoint.External(AddressSet.of(ip)));
    }
    var pod = state.pod(text);
    if (pod.isPresent()) {
      return Optional.of(new Endpoint.Pod(pod.get()));
    }
    for (PodInfo p : state.pods()) {
      String w = p.workload().namespace() + "/" + p.workload().name();
      if (text.equals(w) || text.equals(p.workload().toString())) {
        return Optional.of(new Endpoint.Pod(p));
      }
    }
    return Optional.empty();
  }
}
