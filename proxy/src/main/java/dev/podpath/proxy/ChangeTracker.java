package dev.podpath.proxy;

import dev.podpath.net.IpFamily;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Watch → track: kube-proxy's service and endpoints change trackers for one address family. Event
 * handlers only record objects and mark their Service dirty; {@link #checkout()} turns the dirty
 * Services into service ports and endpoints, keeps them as the current state and reports which
 * Services really changed (a change undone before the sync is no change), so that a partial sync
 * rewrites only their chains.
 */
public final class ChangeTracker {

  private final IpFamily family;
  private final String nodeName;
  private final Map<String, Service> services = new HashMap<>();
  private final Map<String, Map<String, EndpointSlice>> slicesByService = new HashMap<>();
  private final Map<String, String> sliceOwner = new HashMap<>();
  private final Set<String> dirtyServices = new TreeSet<>();
  private final Set<String> dirtyEndpoints = new TreeSet<>();

  private final Map<String, List<ServicePort>> portsByService = new HashMap<>();
  private final Map<String, Map<ServicePortName, List<Endpoint>>> endpointsByService =
      new HashMap<>();
  private final SortedMap<ServicePortName, ServicePort> servicePorts = new TreeMap<>();

  public ChangeTracker(IpFamily family, String nodeName) {
    this.family = family;
    this.nodeName = nodeName;
  }

  public IpFamily family() {
    return family;
  }

  public String nodeName() {
    return nodeName;
  }

  /** Records an added or updated Service. */
  public void onService(Service service) {
    String key = key(service.getMetadata().getNamespace(), service.getMetadata().getName());
    services.put(key, service);
    dirtyServices.add(key);
  }

  /** Records a deleted Service. */
  public void onServiceDeleted(String namespace, String name) {
    String key = key(namespace, name);
    services.remove(key);
    dirtyServices.add(key);
  }

  /** Records an added or updated EndpointSlice. */
  public void onEndpointSlice(EndpointSlice slice) {
    String sliceKey = key(slice.getMetadata().getNamespace(), slice.getMetadata().getName());
    removeSlice(sliceKey);
    EndpointSlices.serviceKey(slice)
        .ifPresent(
            svc -> {
              slicesByService.computeIfAbsent(svc, k -> new TreeMap<>()).put(sliceKey, slice);
              sliceOwner.put(sliceKey, svc);
              dirtyEndpoints.add(svc);
            });
  }

  /** Records a deleted EndpointSlice. */
  public void onEndpointSliceDeleted(String namespace, String name) {
    removeSlice(key(namespace, name));
  }

  private void removeSlice(String sliceKey) {
    String owner = sliceOwner.remove(sliceKey);
    if (owner != null) {
      Map<String, EndpointSlice> slices = slicesByService.get(owner);
      slices.remove(sliceKey);
      if (slices.isEmpty()) {
        slicesByService.remove(owner);
      }
      dirtyEndpoints.add(owner);
    }
  }

  /** Whether events arrived since the last checkout. */
  public boolean hasPendingEvents() {
    return !dirtyServices.isEmpty() || !dirtyEndpoints.isEmpty();
  }

  /** Applies the recorded events to the current state and says what changed. */
  public Changes checkout() {
    Map<String, List<ServicePort>> previousPorts = new TreeMap<>();
    for (String key : dirtyServices) {
      Service svc = services.get(key);
      List<ServicePort> now = svc == null ? List.of() : ServicePorts.of(svc, family);
      List<ServicePort> before = portsByService.getOrDefault(key, List.of());
      if (now.equals(before)) {
        continue;
      }
      previousPorts.put(key, before);
      before.forEach(p -> servicePorts.remove(p.name()));
      now.forEach(p -> servicePorts.put(p.name(), p));
      if (now.isEmpty()) {
        portsByService.remove(key);
      } else {
        portsByService.put(key, now);
      }
    }
    Map<String, Map<ServicePortName, List<Endpoint>>> previousEndpoints = new TreeMap<>();
    for (String key : dirtyEndpoints) {
      var slices = slicesByService.getOrDefault(key, Map.of()).values();
      var now = EndpointSlices.endpoints(slices, family, nodeName);
      var before = endpointsByService.getOrDefault(key, Map.of());
      if (now.equals(before)) {
        continue;
      }
      previousEndpoints.put(key, before);
      if (now.isEmpty()) {
        endpointsByService.remove(key);
      } else {
        endpointsByService.put(key, now);
      }
    }
    dirtyServices.clear();
    dirtyEndpoints.clear();
    return new Changes(previousPorts, previousEndpoints);
  }

  /** Every service port of this family, sorted by name. */
  public SortedMap<ServicePortName, ServicePort> servicePorts() {
    return Collections.unmodifiableSortedMap(servicePorts);
  }

  /** The endpoints of one service port, sorted by their string. */
  public List<Endpoint> endpoints(ServicePortName port) {
    var bySvc = endpointsByService.get(port.serviceKey());
    return bySvc == null ? List.of() : bySvc.getOrDefault(port, List.of());
  }

  /** The current endpoints of every port of a Service. */
  public Map<ServicePortName, List<Endpoint>> endpointsOfService(String serviceKey) {
    return endpointsByService.getOrDefault(serviceKey, Map.of());
  }

  /** The number of endpoints over all service ports (decides large-cluster mode). */
  public int totalEndpoints() {
    int n = 0;
    for (ServicePortName spn : servicePorts.keySet()) {
      n += endpoints(spn).size();
    }
    return n;
  }

  private static String key(String namespace, String name) {
    return Objects.requireNonNullElse(namespace, "default") + "/" + name;
  }

  /**
   * What one checkout changed: for every Service whose ports changed, its previous ports; for every
   * Service whose endpoints changed, its previous endpoints.
   */
  public record Changes(
      Map<String, List<ServicePort>> previousPorts,
      Map<String, Map<ServicePortName, List<Endpoint>>> previousEndpoints) {

    public Changes {
      previousPorts = Collections.unmodifiableMap(new TreeMap<>(previousPorts));
      previousEndpoints = Collections.unmodifiableMap(new TreeMap<>(previousEndpoints));
    }

    /** Whether the Service {@code namespace/name} or its endpoints changed. */
    public boolean touches(String serviceKey) {
      return previousPorts.containsKey(serviceKey) || previousEndpoints.containsKey(serviceKey);
    }
  }
}
