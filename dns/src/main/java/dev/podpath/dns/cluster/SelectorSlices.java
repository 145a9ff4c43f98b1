package dev.podpath.dns.cluster;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Ipv4Address;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stand-in for the EndpointSlice controller, used when the objects carry no slices: a Service's
 * selector picks the running Pods of its namespace, each becomes an endpoint that is ready when the
 * Pod is Ready and not terminating (or always, with {@code publishNotReadyAddresses}), named by
 * {@code spec.hostname} when {@code spec.subdomain} is the Service's name. Pods without a status
 * (not yet run by a kubelet) are given addresses from 10.244.0.0/16 in name order and count as
 * ready, as they would once started.
 */
public final class SelectorSlices {

  private static final Ipv4Address FIRST_POD_IP = Ipv4Address.parse("10.244.0.10");

  private SelectorSlices() {}

  /** The Pods, those without status given an address and a Ready condition. */
  static List<Pod> addressed(Collection<Pod> pods) {
    List<Pod> out = new ArrayList<>();
    long next = 0;
    for (Pod pod : pods) {
      if (pod.getStatus() != null && pod.getStatus().getPodIP() != null) {
        out.add(pod);
        continue;
      }
      String ip = FIRST_POD_IP.plus(next++).toString();
      out.add(
          new PodBuilder(pod)
              .withNewStatus()
              .withPhase("Running")
              .withPodIP(ip)
              .withPodIPs(new PodIP(ip))
              .addNewCondition()
              .withType("Ready")
              .withStatus("True")
              .endCondition()
              .endStatus()
              .build());
    }
    return out;
  }

  /** The slices (one per address family) for {@code svc}, empty without a selector. */
  static List<EndpointSlice> slicesFor(Service svc, List<Pod> pods) {
    Map<String, String> selector = svc.getSpec().getSelector();
    if (selector == null || selector.isEmpty() || "ExternalName".equals(svc.getSpec().getType())) {
      return List.of();
    }
    String ns = svc.getMetadata().getNamespace();
    boolean publishNotReady = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
    List<EndpointSlice> out = new ArrayList<>();
    for (IpFamily family : IpFamily.values()) {
      List<Endpoint> eps = new ArrayList<>();
      List<EndpointPort> ports = List.of();
      for (Pod pod : pods) {
        if (!ns.equals(pod.getMetadata().getNamespace())
            || !selects(selector, pod)
            || finished(pod)) {
          continue;
        }
        for (PodIP podIp : podIps(pod)) {
          if (IpAddress.parse(podIp.getIp()).family() != family) {
            continue;
          }
          boolean ready =
              publishNotReady
                  || (podReady(pod) && pod.getMetadata().getDeletionTimestamp() == null);
          String hostname =
              svc.getMetadata().getName().equals(pod.getSpec().getSubdomain())
                  ? pod.getSpec().getHostname()
                  : null;
          eps.add(
              new EndpointBuilder()
                  .withAddresses(podIp.getIp())
                  .withHostname(hostname)
                  .withNodeName(pod.getSpec().getNodeName())
                  .withTargetRef(
                      new ObjectReferenceBuilder()
                          .withKind("Pod")
                          .withNamespace(ns)
                          .withName(pod.getMetadata().getName())
                          .build())
                  .withNewConditions()
                  .withReady(ready)
                  .withServing(podReady(pod))
                  .withTerminating(pod.getMetadata().getDeletionTimestamp() != null)
                  .endConditions()
                  .build());
          ports = ports(svc, pod);
        }
      }
      if (!eps.isEmpty()) {
        out.add(
            new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(
                    svc.getMetadata().getName() + "-" + (family == IpFamily.IPV4 ? "v4" : "v6"))
                .withNamespace(ns)
                .addToLabels(EndpointsMirror.SERVICE_NAME_LABEL, svc.getMetadata().getName())
                .endMetadata()
                .withAddressType(family == IpFamily.IPV4 ? "IPv4" : "IPv6")
                .withPorts(ports)
                .withEndpoints(eps)
                .build());
      }
    }
    return out;
  }

  private static boolean selects(Map<String, String> selector, Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null
        && selector.entrySet().stream()
            .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
  }

  private static boolean finished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static List<PodIP> podIps(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getPodIP() == null) {
      return List.of();
    }
    List<PodIP> ips = pod.getStatus().getPodIPs();
    return ips == null || ips.isEmpty() ? List.of(new PodIP(pod.getStatus().getPodIP())) : ips;
  }

  private static boolean podReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static List<EndpointPort> ports(Service svc, Pod pod) {
    List<EndpointPort> out = new ArrayList<>();
    for (ServicePort sp : svc.getSpec().getPorts()) {
      out.add(
          new EndpointPortBuilder()
              .withName(sp.getName())
              .withProtocol(sp.getProtocol())
              .withPort(targetPort(sp, pod))
              .build());
    }
    return out;
  }

  private static int targetPort(ServicePort sp, Pod pod) {
    IntOrString target = sp.getTargetPort();
    if (target == null) {
      return sp.getPort();
    }
    if (target.getIntVal() != null) {
      return target.getIntVal();
    }
    for (var c : pod.getSpec().getContainers()) {
      for (ContainerPort cp : c.getPorts()) {
        if (target.getStrVal().equals(cp.getName())) {
          return cp.getContainerPort();
        }
      }
    }
    return sp.getPort();
  }
}
