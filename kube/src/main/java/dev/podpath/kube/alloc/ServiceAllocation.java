package dev.podpath.kube.alloc;

import dev.podpath.kube.store.Admission;
import dev.podpath.kube.store.ApiException;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.validate.FieldError;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What the API server's Service storage does on create and update: default the type, IP families
 * and family policy; allocate ClusterIPs from the service CIDRs (random, upper band first; the
 * {@code kubernetes} Service gets the first address) and NodePorts from 30000-32767; refuse
 * addresses and ports already taken or out of range with the API's messages; keep allocations
 * across updates; release them when the Service is gone.
 */
public final class ServiceAllocation implements Admission {

  /** The default {@code --service-node-port-range}. */
  public static final int NODE_PORT_MIN = 30000;

  public static final int NODE_PORT_MAX = 32767;

  private final List<IpRange> ranges = new ArrayList<>();
  private final TreeSet<Integer> nodePorts = new TreeSet<>();
  private final Random random;

  public ServiceAllocation(List<IpPrefix> serviceCidrs, long seed) {
    this.random = new Random(seed);
    for (IpPrefix p : serviceCidrs) {
      ranges.add(new IpRange(p, random));
    }
  }

  /** The first address of the primary service CIDR, for the {@code kubernetes} Service. */
  public IpAddress apiServerServiceIp() {
    return ranges.getFirst().first();
  }

  @Override
  public void admit(HasMetadata object, @Nullable HasMetadata old, ApiStore store) {
    if (!(object instanceof Service svc)) {
      return;
    }
    ServiceSpec spec = svc.getSpec();
    Service before = (Service) old;
    if (spec.getType() == null) {
      spec.setType("ClusterIP");
    }
    for (ServicePort p : spec.getPorts()) {
      if (p.getProtocol() == null) {
        p.setProtocol("TCP");
      }
      if (p.getTargetPort() == null && !"ExternalName".equals(spec.getType())) {
        p.setTargetPort(new io.fabric8.kubernetes.api.model.IntOrString(p.getPort()));
      }
    }
    if (spec.getSessionAffinity() == null) {
      spec.setSessionAffinity("None");
    }
    String name = svc.getMetadata().getName();
    List<IpAddress> newIps = new ArrayList<>();
    List<Integer> newPorts = new ArrayList<>();
    try {
      clusterIps(name, spec, before == null ? null : before.getSpec(), newIps);
      nodePorts(name, spec, before == null ? null : before.getSpec(), newPorts);
    } catch (ApiException e) {
      newIps.forEach(this::releaseIp);
      newPorts.forEach(nodePorts::remove);
      throw e;
    }
    if (before != null) {
      releaseDropped(before.getSpec(), spec);
    }
  }

  private void clusterIps(
      String name, ServiceSpec spec, @Nullable ServiceSpec old, List<IpAddress> fresh) {
    if ("ExternalName".equals(spec.getType())) {
      spec.setClusterIP(null);
      spec.setClusterIPs(new ArrayList<>());
      return;
    }
    List<String> oldIps =
        old == null || old.getClusterIPs() == null ? List.of() : old.getClusterIPs();
    String wanted = spec.getClusterIP();
    if ((wanted == null || wanted.isEmpty()) && !oldIps.isEmpty()) {
      spec.setClusterIP(old.getClusterIP());
      spec.setClusterIPs(new ArrayList<>(oldIps));
      spec.setIpFamilies(old.getIpFamilies());
      spec.setIpFamilyPolicy(old.getIpFamilyPolicy());
      return;
    }
    if (!oldIps.isEmpty() && !Objects.equals(wanted, old.getClusterIP())) {
      throw invalid(
          name,
          FieldError.invalid(
              "spec.clusterIPs[0]", "[]string{\"" + wanted + "\"}", "may not change once set"));
    }
    if (!oldIps.isEmpty()) {
      return;
    }
    String policy = spec.getIpFamilyPolicy() == null ? "SingleStack" : spec.getIpFamilyPolicy();
    spec.setIpFamilyPolicy(policy);
    if ("None".equals(wanted)) {
      spec.setClusterIPs(new ArrayList<>(List.of("None")));
      if (spec.getIpFamilies() == null || spec.getIpFamilies().isEmpty()) {
        spec.setIpFamilies(new ArrayList<>(List.of(familyName(ranges.getFirst()))));
      }
      return;
    }
    List<String> ips = new ArrayList<>();
    List<String> families = new ArrayList<>();
    int count = policy.equals("SingleStack") ? 1 : Math.min(2, ranges.size());
    for (int i = 0; i < count; i++) {
      IpRange range = ranges.get(i);
      String explicit = i == 0 && wanted != null && !wanted.isEmpty() ? wanted : null;
      IpAddress ip =
          explicit != null
              ? allocateExact(name, range, explicit)
              : range
                  .next()
                  .orElseThrow(
                      () ->
                          invalid(
                              name,
                              FieldError.invalid(
                                  "spec.clusterIPs",
                                  "[]string{}",
                                  "failed to allocate IP: range is full")));
      fresh.add(ip);
      ips.add(ip.toString());
      families.add(familyName(range));
    }
    spec.setClusterIP(ips.getFirst());
    spec.setClusterIPs(ips);
    spec.setIpFamilies(families);
  }

  private IpAddress allocateExact(String name, IpRange primary, String text) {
    IpAddress ip = IpAddress.parse(text);
    Optional<IpRange> range = ranges.stream().filter(r -> r.contains(ip)).findFirst();
    String field = "[]string{\"" + text + "\"}";
    if (range.isEmpty()) {
      throw invalid(
          name,
          FieldError.invalid(
              "spec.clusterIPs",
              field,
              "failed to allocate IP "
                  + text
                  + ": the provided IP ("
                  + text
                  + ") is not in the valid range. The range of"
                  + " valid IPs is "
                  + primary.cidr()));
    }
    if (range.get().isUsed(ip)) {
      throw invalid(
          name,
          FieldError.invalid(
              "spec.clusterIPs",
              field,
              "failed to allocate IP " + text + ": provided IP is already allocated"));
    }
    range.get().allocate(ip);
    return ip;
  }

  private void nodePorts(
      String name, ServiceSpec spec, @Nullable ServiceSpec old, List<Integer> fresh) {
    boolean wants = "NodePort".equals(spec.getType()) || "LoadBalancer".equals(spec.getType());
    List<ServicePort> ports = spec.getPorts();
    for (int i = 0; i < ports.size(); i++) {
      ServicePort p = ports.get(i);
      if (!wants) {
        p.setNodePort(null);
        continue;
      }
      Integer had = old == null ? null : previousNodePort(old, p);
      Integer want = p.getNodePort();
      if ((want == null || want == 0) && had != null) {
        p.setNodePort(had);
        continue;
      }
      if (want != null && want != 0) {
        if (Objects.equals(want, had)) {
          continue;
        }
        String path = "spec.ports[" + i + "].nodePort";
        if (want < NODE_PORT_MIN || want > NODE_PORT_MAX) {
          throw invalid(
              name,
              FieldError.invalid(
                  path,
                  want,
                  "provided port is not in the valid"
                      + " range. The range of valid ports is "
                      + NODE_PORT_MIN
                      + "-"
                      + NODE_PORT_MAX));
        }
        if (nodePorts.contains(want) || fresh.contains(want)) {
          throw invalid(name, FieldError.invalid(path, want, "provided port is already allocated"));
        }
        nodePorts.add(want);
        fresh.add(want);
        continue;
      }
      int port =
          nextNodePort()
              .orElseThrow(
                  () ->
                      invalid(
                          name,
                          FieldError.invalid(
                              "spec.ports[" + ports.indexOf(p) + "].nodePort",
                              0,
                              "range is full")));
      fresh.add(port);
      p.setNodePort(port);
    }
  }

  private static @Nullable Integer previousNodePort(ServiceSpec old, ServicePort p) {
    for (ServicePort o : old.getPorts()) {
      if (Objects.equals(o.getPort(), p.getPort())
          && Objects.equals(o.getProtocol(), p.getProtocol())
          && o.getNodePort() != null) {
        return o.getNodePort();
      }
    }
    return null;
  }

  private Optional<Integer> nextNodePort() {
    int span = NODE_PORT_MAX - NODE_PORT_MIN + 1;
    int start = random.nextInt(span);
    for (int i = 0; i < span; i++) {
      int port = NODE_PORT_MIN + (start + i) % span;
      if (!nodePorts.contains(port)) {
        nodePorts.add(port);
        return Optional.of(port);
      }
    }
    return Optional.empty();
  }

  private void releaseDropped(ServiceSpec old, ServiceSpec now) {
    TreeSet<Integer> kept = new TreeSet<>();
    now.getPorts()
        .forEach(
            p -> {
              if (p.getNodePort() != null) {
                kept.add(p.getNodePort());
              }
            });
    for (ServicePort p : old.getPorts()) {
      if (p.getNodePort() != null && !kept.contains(p.getNodePort())) {
        nodePorts.remove(p.getNodePort());
      }
    }
  }

  @Override
  public void released(HasMetadata object) {
    if (object instanceof Service svc) {
      for (String ip :
          svc.getSpec().getClusterIPs() == null
              ? List.<String>of()
              : svc.getSpec().getClusterIPs()) {
        if (!ip.equals("None")) {
          releaseIp(IpAddress.parse(ip));
        }
      }
      for (ServicePort p : svc.getSpec().getPorts()) {
        if (p.getNodePort() != null) {
          nodePorts.remove(p.getNodePort());
        }
      }
    }
  }

  private void releaseIp(IpAddress ip) {
    ranges.forEach(r -> r.release(ip));
  }

  private static String familyName(IpRange r) {
    return r.cidr().family() == IpFamily.IPV4 ? "IPv4" : "IPv6";
  }

  private static ApiException invalid(String name, FieldError error) {
    return ApiException.invalid("Service", name, List.of(error));
  }
}
