package dev.podpath.proxy;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Protocol;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads EndpointSlices the way kube-proxy's endpoint-slice cache does: slices join their Service
 * through the {@code kubernetes.io/service-name} label, endpoints join a service port by port name
 * and protocol, only the first address of an endpoint counts, duplicates ({@code IP:port}) count
 * once (a local copy wins), and each port's endpoints are sorted by their string.
 */
public final class EndpointSlices {

  /** The label that names the Service a slice belongs to. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private EndpointSlices() {}

  /** The {@code namespace/name} of the slice's Service, if the slice names one. */
  public static Optional<String> serviceKey(EndpointSlice slice) {
    var meta = slice.getMetadata();
    if (meta == null || meta.getLabels() == null) {
      return Optional.empty();
    }
    String svc = meta.getLabels().get(SERVICE_NAME_LABEL);
    if (svc == null || svc.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Objects.requireNonNullElse(meta.getNamespace(), "default") + "/" + svc);
  }

  /** The endpoints per service port of one Service's slices, for one family and node. */
  public static Map<ServicePortName, List<Endpoint>> endpoints(
      Collection<EndpointSlice> slices, IpFamily family, String nodeName) {
    Map<ServicePortName, Map<String, Endpoint>> byPort = new TreeMap<>();
    String wantType = family == IpFamily.IPV4 ? "IPv4" : "IPv6";
    for (EndpointSlice slice : slices) {
      Optional<String> key = serviceKey(slice);
      if (key.isEmpty() || !wantType.equals(slice.getAddressType())) {
        continue;
      }
      String ns = key.get().substring(0, key.get().indexOf('/'));
      String svc = key.get().substring(key.get().indexOf('/') + 1);
      for (var port : nonNull(slice.getPorts())) {
        if (port.getPort() == null) {
          continue;
        }
        Optional<Protocol> proto =
            Protocol.find(Objects.requireNonNullElse(port.getProtocol(), "TCP"))
                .filter(Protocol::hasPorts);
        if (proto.isEmpty()) {
          continue;
        }
        var spn =
            new ServicePortName(
                ns, svc, Objects.requireNonNullElse(port.getName(), ""), proto.get());
        Map<String, Endpoint> set = byPort.computeIfAbsent(spn, k -> new TreeMap<>());
        for (var ep : nonNull(slice.getEndpoints())) {
          if (ep.getAddresses() == null || ep.getAddresses().isEmpty()) {
            continue;
          }
          Optional<IpAddress> ip = SloppyIp.parse(ep.getAddresses().get(0));
          if (ip.isEmpty() || ip.get().family() != family) {
            continue;
          }
          var c = ep.getConditions();
          boolean ready = c == null || c.getReady() == null || c.getReady();
          boolean serving = c == null || c.getServing() == null || c.getServing();
          boolean terminating = c != null && c.getTerminating() != null && c.getTerminating();
          boolean local = nodeName.equals(ep.getNodeName());
          var endpoint = new Endpoint(ip.get(), port.getPort(), local, ready, serving, terminating);
          String s = endpoint.toString();
          if (!set.containsKey(s) || local) {
            set.put(s, endpoint);
          }
        }
      }
    }
    Map<ServicePortName, List<Endpoint>> out = new TreeMap<>();
    byPort.forEach((spn, set) -> out.put(spn, List.copyOf(new ArrayList<>(set.values()))));
    return out;
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
