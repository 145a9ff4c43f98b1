package dev.podpath.proxy;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Protocol;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a Service into the {@link ServicePort}s kube-proxy of one address family programs
 * (upstream's {@code newBaseServiceInfo}): headless and ExternalName Services and Services without
 * a cluster IP of this family give none; addresses of the other family are dropped; load-balancer
 * ingress IPs with {@code ipMode: Proxy} are left to the load balancer.
 */
public final class ServicePorts {

  /** The session-affinity timeout the API server defaults to (3 hours). */
  public static final int DEFAULT_AFFINITY_SECONDS = 10800;

  private ServicePorts() {}

  public static List<ServicePort> of(Service service, IpFamily family) {
    ServiceSpec spec = service.getSpec();
    if (spec == null || service.getMetadata() == null) {
      return List.of();
    }
    ServiceType type = ServiceType.fromSpec(Objects.requireNonNullElse(spec.getType(), ""));
    if (type == ServiceType.EXTERNAL_NAME) {
      return List.of();
    }
    Optional<IpAddress> clusterIp = clusterIp(spec, family);
    if (clusterIp.isEmpty()) {
      return List.of();
    }
    String ns = Objects.requireNonNullElse(service.getMetadata().getNamespace(), "default");
    String name = service.getMetadata().getName();
    List<IpAddress> externalIps = addresses(nonNull(spec.getExternalIPs()), family);
    List<IpAddress> vips = new ArrayList<>();
    if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null) {
      for (LoadBalancerIngress ing : nonNull(service.getStatus().getLoadBalancer().getIngress())) {
        if (ing.getIp() == null || ing.getIp().isEmpty()) {
          continue;
        }
        if (ing.getIpMode() != null && !ing.getIpMode().equals("VIP")) {
          continue;
        }
        SloppyIp.parse(ing.getIp()).filter(a -> a.family() == family).ifPresent(vips::add);
      }
    }
    List<IpPrefix> ranges = new ArrayList<>();
    for (String r : nonNull(spec.getLoadBalancerSourceRanges())) {
      SloppyIp.parseCidr(r).filter(p -> p.family() == family).ifPresent(ranges::add);
    }
    boolean externallyVisible =
        type == ServiceType.LOAD_BALANCER
            || type == ServiceType.NODE_PORT
            || ("ClusterIP".equals(spec.getType()) && !externalIps.isEmpty());
    boolean etpLocal = externallyVisible && "Local".equals(spec.getExternalTrafficPolicy());
    boolean itpLocal = "Local".equals(spec.getInternalTrafficPolicy());
    int hcnp = 0;
    if (type == ServiceType.LOAD_BALANCER && etpLocal && spec.getHealthCheckNodePort() != null) {
      hcnp = spec.getHealthCheckNodePort();
    }
    int affinity = 0;
    if ("ClientIP".equals(spec.getSessionAffinity())) {
      affinity = DEFAULT_AFFINITY_SECONDS;
      var cfg = spec.getSessionAffinityConfig();
      if (cfg != null
          && cfg.getClientIP() != null
          && cfg.getClientIP().getTimeoutSeconds() != null) {
        affinity = cfg.getClientIP().getTimeoutSeconds();
      }
    }
    List<ServicePort> out = new ArrayList<>();
    for (var p : nonNull(spec.getPorts())) {
      Protocol protocol =
          Protocol.find(Objects.requireNonNullElse(p.getProtocol(), "TCP"))
              .filter(Protocol::hasPorts)
              .orElse(null);
      if (protocol == null || p.getPort() == null) {
        continue;
      }
      var spn =
          new ServicePortName(ns, name, Objects.requireNonNullElse(p.getName(), ""), protocol);
      int nodePort = p.getNodePort() == null ? 0 : p.getNodePort();
      out.add(
          new ServicePort(
              spn,
              type,
              clusterIp.get(),
              p.getPort(),
              nodePort,
              externalIps,
              vips,
              ranges,
              etpLocal,
              itpLocal,
              hcnp,
              affinity));
    }
    return out;
  }

  private static Optional<IpAddress> clusterIp(ServiceSpec spec, IpFamily family) {
    List<String> candidates =
        spec.getClusterIPs() == null || spec.getClusterIPs().isEmpty()
            ? (spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP()))
            : spec.getClusterIPs();
    for (String c : candidates) {
      if (c.isEmpty() || c.equals("None")) {
        return Optional.empty();
      }
      Optional<IpAddress> ip = SloppyIp.parse(c);
      if (ip.isPresent() && ip.get().family() == family) {
        return ip;
      }
    }
    return Optional.empty();
  }

  private static List<IpAddress> addresses(List<String> texts, IpFamily family) {
    List<IpAddress> out = new ArrayList<>();
    for (String t : texts) {
      SloppyIp.parse(t).filter(a -> a.family() == family).ifPresent(out::add);
    }
    return out;
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
