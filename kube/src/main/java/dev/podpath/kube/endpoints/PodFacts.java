package dev.podpath.kube.endpoints;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** What the endpoint controllers read from a Pod: phase, readiness, IPs, ports, hostname. */
public final class PodFacts {

  private PodFacts() {}

  /** Succeeded or Failed. */
  public static boolean isTerminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** The pod's Ready condition is True. */
  public static boolean isReady(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  public static boolean isTerminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  /** The pod's IPs ({@code status.podIPs}, else {@code status.podIP}), canonically formatted. */
  public static List<IpAddress> ips(Pod pod) {
    List<IpAddress> out = new ArrayList<>();
    if (pod.getStatus() == null) {
      return out;
    }
    List<PodIP> podIps = pod.getStatus().getPodIPs();
    if (podIps != null && !podIps.isEmpty()) {
      for (PodIP p : podIps) {
        parse(p.getIp()).ifPresent(out::add);
      }
    } else if (pod.getStatus().getPodIP() != null) {
      parse(pod.getStatus().getPodIP()).ifPresent(out::add);
    }
    return out;
  }

  /** The pod's IP of one family, canonical text. */
  public static Optional<String> ip(Pod pod, IpFamily family) {
    for (IpAddress a : ips(pod)) { // a loop, not a stream: this runs per pod on every sync
      if (a.family() == family) {
        return Optional.of(a.toString());
      }
    }
    return Optional.empty();
  }

  private static Optional<IpAddress> parse(String text) {
    try {
      return Optional.of(IpAddress.parse(text));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The container port a Service port's targetPort means for this pod: a number as is, a name
   * looked up among the containers' (and restartable init containers') ports with the same
   * protocol; empty when the name does not resolve.
   */
  public static OptionalInt targetPort(Pod pod, ServicePort port) {
    var target = port.getTargetPort();
    if (target == null) {
      return OptionalInt.of(port.getPort());
    }
    if (target.getIntVal() != null) {
      return OptionalInt.of(target.getIntVal());
    }
    String name = target.getStrVal();
    String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
    List<Container> containers = new ArrayList<>();
    if (pod.getSpec() != null) {
      containers.addAll(pod.getSpec().getContainers());
      for (Container c : pod.getSpec().getInitContainers()) {
        if ("Always".equals(c.getRestartPolicy())) {
          containers.add(c);
        }
      }
    }
    for (Container c : containers) {
      for (ContainerPort cp : c.getPorts()) {
        String cpProto = cp.getProtocol() == null ? "TCP" : cp.getProtocol();
        if (name.equals(cp.getName()) && protocol.equals(cpProto)) {
          return OptionalInt.of(cp.getContainerPort());
        }
      }
    }
    return OptionalInt.empty();
  }

  /** {@code spec.hostname} when the pod's subdomain is the Service's name, same namespace. */
  public static Optional<String> hostname(Pod pod, Service svc) {
    if (pod.getSpec() == null) {
      return Optional.empty();
    }
    String hostname = pod.getSpec().getHostname();
    if (hostname != null
        && !hostname.isEmpty()
        && Objects.equals(pod.getSpec().getSubdomain(), svc.getMetadata().getName())
        && Objects.equals(pod.getMetadata().getNamespace(), svc.getMetadata().getNamespace())) {
      return Optional.of(hostname);
    }
    return Optional.empty();
  }

  /** The pod's node name, if scheduled. */
  public static Optional<String> nodeName(Pod pod) {
    String n = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return n == null || n.isEmpty() ? Optional.empty() : Optional.of(n);
  }
}
