package dev.podpath.dns.records;

import dev.podpath.dns.cluster.ClusterState;
import dev.podpath.dns.cluster.EndpointsMirror;
import dev.podpath.net.IpAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The look-up tables CoreDNS's informers keep, built from one {@link ClusterState}: Services and
 * endpoint groups by {@code name.namespace}, Services by ClusterIP, endpoint groups by address,
 * Pods by IP. Immutable; a change builds a new index.
 */
public final class DnsIndex {

  /** A Pod's IP and namespace (for {@code pods verified}). */
  public record PodEntry(String namespace, String name, IpAddress ip) {}

  private final List<ServiceEntry> services = new ArrayList<>();
  private final List<EndpointGroup> groups = new ArrayList<>();
  private final Map<String, List<ServiceEntry>> servicesByKey = new HashMap<>();
  private final Map<String, List<EndpointGroup>> groupsByKey = new HashMap<>();
  private final Map<IpAddress, List<ServiceEntry>> servicesByIp = new HashMap<>();
  private final Map<IpAddress, List<EndpointGroup>> groupsByIp = new HashMap<>();
  private final Map<IpAddress, List<PodEntry>> podsByIp = new HashMap<>();
  private final List<PodEntry> pods = new ArrayList<>();
  private final Predicate<String> namespaces;
  private final boolean synced;
  private final long serial;

  private DnsIndex(ClusterState state, long serial) {
    this.namespaces = state::namespaceExists;
    this.synced = state.synced();
    this.serial = serial;
    for (Service s : state.services()) {
      ServiceEntry e = serviceEntry(s);
      services.add(e);
      servicesByKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
      if (e.kind() == ServiceKind.CLUSTER_IP) {
        for (IpAddress ip : e.clusterIps()) {
          servicesByIp.computeIfAbsent(ip, k -> new ArrayList<>()).add(e);
        }
      }
    }
    for (EndpointSlice slice : state.endpointSlices()) {
      EndpointGroup g = group(slice);
      if (g == null) {
        continue;
      }
      groups.add(g);
      groupsByKey.computeIfAbsent(g.key(), k -> new ArrayList<>()).add(g);
      g.addresses().stream()
          .map(EndpointAddress::ip)
          .distinct()
          .forEach(ip -> groupsByIp.computeIfAbsent(ip, k -> new ArrayList<>()).add(g));
    }
    for (Pod p : state.pods()) {
      if (p.getStatus() == null || p.getStatus().getPodIP() == null) {
        continue;
      }
      List<PodIP> ips = p.getStatus().getPodIPs();
      List<String> texts =
          ips == null || ips.isEmpty()
              ? List.of(p.getStatus().getPodIP())
              : ips.stream().map(PodIP::getIp).toList();
      for (String t : texts) {
        IpAddress ip = IpAddress.parse(t);
        PodEntry entry =
            new PodEntry(p.getMetadata().getNamespace(), p.getMetadata().getName(), ip);
        pods.add(entry);
        podsByIp.computeIfAbsent(ip, k -> new ArrayList<>()).add(entry);
      }
    }
  }

  /** Builds the index of {@code state}; {@code serial} is the SOA serial to report. */
  public static DnsIndex of(ClusterState state, long serial) {
    return new DnsIndex(state, serial);
  }

  /** Every Service, in the state's order. */
  public List<ServiceEntry> services() {
    return services;
  }

  /** Every endpoint group, in the state's order. */
  public List<EndpointGroup> endpointGroups() {
    return groups;
  }

  /** Services named {@code name} in {@code namespace} (lower case). */
  public List<ServiceEntry> services(String name, String namespace) {
    return servicesByKey.getOrDefault(name + "." + namespace, List.of());
  }

  /** Endpoint groups of the Service {@code name} in {@code namespace}. */
  public List<EndpointGroup> endpoints(String name, String namespace) {
    return groupsByKey.getOrDefault(name + "." + namespace, List.of());
  }

  /** Non-headless Services with that ClusterIP, in order. */
  public List<ServiceEntry> servicesByClusterIp(IpAddress ip) {
    return servicesByIp.getOrDefault(ip, List.of());
  }

  /** Endpoint groups holding that ready address. */
  public List<EndpointGroup> endpointsByIp(IpAddress ip) {
    return groupsByIp.getOrDefault(ip, List.of());
  }

  /** Every Pod address, in the state's order. */
  public List<PodEntry> pods() {
    return pods;
  }

  /** Pods with that IP. */
  public List<PodEntry> podsByIp(IpAddress ip) {
    return podsByIp.getOrDefault(ip, List.of());
  }

  public boolean namespaceExists(String namespace) {
    return namespaces.test(namespace);
  }

  public boolean synced() {
    return synced;
  }

  public long serial() {
    return serial;
  }

  private static ServiceEntry serviceEntry(Service s) {
    var spec = s.getSpec();
    String ns = s.getMetadata().getNamespace();
    List<PortEntry> ports = new ArrayList<>();
    for (ServicePort p : spec.getPorts()) {
      ports.add(
          new PortEntry(
              nonNull(p.getName()),
              protocol(p.getProtocol()),
              p.getPort() == null ? -1 : p.getPort()));
    }
    if ("ExternalName".equals(spec.getType())) {
      return new ServiceEntry(
          ns,
          s.getMetadata().getName(),
          ServiceKind.EXTERNAL_NAME,
          List.of(),
          nonNull(spec.getExternalName()),
          ports);
    }
    List<String> ips =
        spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()
            ? spec.getClusterIPs()
            : spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP());
    if (ips.contains("None")) {
      return new ServiceEntry(
          ns, s.getMetadata().getName(), ServiceKind.HEADLESS, List.of(), "", ports);
    }
    List<IpAddress> parsed = ips.stream().filter(t -> !t.isEmpty()).map(IpAddress::parse).toList();
    return new ServiceEntry(
        ns, s.getMetadata().getName(), ServiceKind.CLUSTER_IP, parsed, "", ports);
  }

  private static EndpointGroup group(EndpointSlice slice) {
    String svc = EndpointsMirror.serviceName(slice);
    if (svc.isEmpty() || "FQDN".equals(slice.getAddressType())) {
      return null;
    }
    List<PortEntry> ports = new ArrayList<>();
    for (var p : slice.getPorts()) {
      ports.add(
          new PortEntry(
              nonNull(p.getName()),
              protocol(p.getProtocol()),
              p.getPort() == null ? -1 : p.getPort()));
    }
    if (ports.isEmpty()) {
      ports.add(PortEntry.NONE);
    }
    List<EndpointAddress> addresses = new ArrayList<>();
    for (Endpoint e : slice.getEndpoints()) {
      if (e.getConditions() != null && Boolean.FALSE.equals(e.getConditions().getReady())) {
        continue;
      }
      String target =
          e.getTargetRef() == null || e.getTargetRef().getName() == null
              ? ""
              : e.getTargetRef().getName();
      for (String a : e.getAddresses()) {
        addresses.add(new EndpointAddress(IpAddress.parse(a), nonNull(e.getHostname()), target));
      }
    }
    return new EndpointGroup(slice.getMetadata().getNamespace(), svc, addresses, ports);
  }

  private static String protocol(String p) {
    return p == null ? "TCP" : p.toUpperCase(Locale.ROOT);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
