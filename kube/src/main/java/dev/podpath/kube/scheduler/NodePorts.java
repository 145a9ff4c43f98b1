package dev.podpath.kube.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The NodePorts filter plugin: a node fails when a host port the pod asks for is taken by a pod
 * already on it. The ports are those upstream's {@code GetHostPorts} collects: every {@code
 * hostPort > 0} of the containers and of the init containers with {@code restartPolicy: Always}
 * (sidecars, which run as long as the pod). A port is (host IP, protocol, port) with an empty IP
 * meaning {@code 0.0.0.0} and an empty protocol TCP, and conflicts as {@code
 * HostPortInfo.CheckConflict} decides: a wanted {@code 0.0.0.0} port conflicts with the same
 * protocol and port on any IP, another IP with the same IP or {@code 0.0.0.0}. The status is {@code
 * Unschedulable}: evicting the pods that hold the port could help.
 */
final class NodePorts {

  static final String REASON = "node(s) didn't have free ports for the requested pod ports";

  /** {@code DefaultBindAllHostIP}. */
  static final String BIND_ALL = "0.0.0.0";

  private NodePorts() {}

  /** A used or wanted host port, its IP and protocol defaulted. */
  record HostPort(String ip, String protocol, int port) {

    static HostPort of(ContainerPort p) {
      String ip = p.getHostIP() == null || p.getHostIP().isEmpty() ? BIND_ALL : p.getHostIP();
      String protocol =
          p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
      return new HostPort(ip, protocol, p.getHostPort());
    }
  }

  /** The filter: the reason when one of the pod's host ports is taken on the node. */
  static Optional<Rejection> filter(Pod pod, List<Pod> onNode) {
    List<HostPort> wanted = hostPorts(pod);
    if (wanted.isEmpty()) {
      return Optional.empty();
    }
    Set<HostPort> used = new HashSet<>();
    for (Pod p : onNode) {
      used.addAll(hostPorts(p));
    }
    for (HostPort w : wanted) {
      if (conflicts(used, w)) {
        return Optional.of(Rejection.unschedulable(REASON));
      }
    }
    return Optional.empty();
  }

  static boolean conflicts(Set<HostPort> used, HostPort w) {
    if (w.ip().equals(BIND_ALL)) {
      return used.stream().anyMatch(u -> u.protocol().equals(w.protocol()) && u.port() == w.port());
    }
    return used.contains(w) || used.contains(new HostPort(BIND_ALL, w.protocol(), w.port()));
  }

  /** {@code GetHostPorts}: sidecar init containers' then containers' ports with a host port. */
  static List<HostPort> hostPorts(Pod pod) {
    List<HostPort> out = new ArrayList<>();
    if (pod.getSpec() == null) {
      return out;
    }
    List<Container> init = pod.getSpec().getInitContainers();
    for (Container c : init == null ? List.<Container>of() : init) {
      if ("Always".equals(c.getRestartPolicy())) {
        add(c, out);
      }
    }
    List<Container> containers = pod.getSpec().getContainers();
    for (Container c : containers == null ? List.<Container>of() : containers) {
      add(c, out);
    }
    return out;
  }

  private static void add(Container c, List<HostPort> out) {
    if (c.getPorts() == null) {
      return;
    }
    for (ContainerPort p : c.getPorts()) {
      if (p.getHostPort() != null && p.getHostPort() > 0) {
        out.add(HostPort.of(p));
      }
    }
  }
}
