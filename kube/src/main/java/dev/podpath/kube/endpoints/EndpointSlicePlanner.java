package dev.podpath.kube.endpoints;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The EndpointSlice reconciler ({@code k8s.io/endpointslice}) as a pure function: from a Service,
 * the Pods its selector picks, the Nodes and the slices that exist, the creates, updates and
 * deletes that bring the slices in line with as few writes as possible ({@code
 * ../shared/specs/endpointslices.md} §2). Per address type and per group of pods with the same
 * resolved ports: keep existing slices' endpoints that are still wanted, fill slices already being
 * written fullest first, put leftovers in the unchanged slice closest to full after taking them all
 * or in new slices of at most {@code maxEndpointsPerSlice}, delete stale port groups, keep a
 * placeholder so a Service always has a slice, and finally turn create+delete pairs into updates.
 */
public final class EndpointSlicePlanner {

  /** The controller's default {@code --max-endpoints-per-slice}. */
  public static final int DEFAULT_MAX_ENDPOINTS = 100;

  /** Everything a plan depends on. {@code triggerTime} (RFC 3339) may be unknown. */
  public record Input(
      Service service,
      List<Pod> pods,
      Map<String, Node> nodes,
      List<EndpointSlice> existing,
      int maxEndpointsPerSlice,
      @Nullable String triggerTime,
      boolean hintsPopulated) {

    /** An input for a Service that has no topology hints yet. */
    public Input(
        Service service,
        List<Pod> pods,
        Map<String, Node> nodes,
        List<EndpointSlice> existing,
        int maxEndpointsPerSlice,
        @Nullable String triggerTime) {
      this(service, pods, nodes, existing, maxEndpointsPerSlice, triggerTime, false);
    }

    public Input {
      pods = List.copyOf(pods);
      nodes = Map.copyOf(nodes);
      existing = List.copyOf(existing);
      if (maxEndpointsPerSlice < 1 || maxEndpointsPerSlice > 1000) {
        throw new IllegalArgumentException(
            "maxEndpointsPerSlice must be in 1..1000, got " + maxEndpointsPerSlice);
      }
    }
  }

  private EndpointSlicePlanner() {}

  /** The plan for one Service. */
  public static SlicePlan plan(Input in) {
    Service svc = in.service();
    Map<String, String> labels = SliceLabels.forService(svc, SliceLabels.CONTROLLER);
    List<String> types = addressTypes(svc);
    List<EndpointSlice> creates = new ArrayList<>();
    List<EndpointSlice> updates = new ArrayList<>();
    List<EndpointSlice> deletes = new ArrayList<>();
    boolean auto = hintsEnabled(svc);
    Optional<Map<String, Double>> ratios =
        auto ? ZoneRatios.of(in.nodes().values()) : Optional.empty();
    boolean populated = in.hintsPopulated();
    List<TopologyHints.HintEvent> events = new ArrayList<>();
    Map<String, Map<String, Integer>> hints = new TreeMap<>();
    for (EndpointSlice s : in.existing()) {
      if (!types.contains(s.getAddressType()) || !ownedBy(s, svc)) {
        deletes.add(s);
      }
    }
    for (String type : types) {
      List<EndpointSlice> existing =
          in.existing().stream()
              .filter(s -> type.equals(s.getAddressType()) && ownedBy(s, svc))
              .toList();
      SliceWriter w =
          new SliceWriter(svc, type, labels, in.maxEndpointsPerSlice(), in.triggerTime(), auto);
      Map<String, Group> desired = desired(in, type);
      Map<String, List<EndpointSlice>> byPorts = new TreeMap<>();
      for (EndpointSlice s : existing) {
        byPorts.computeIfAbsent(PortValue.key(ports(s)), k -> new ArrayList<>()).add(s);
      }
      for (Map.Entry<String, Group> g : desired.entrySet()) {
        w.reconcilePortGroup(
            byPorts.getOrDefault(g.getKey(), List.of()),
            g.getValue().ports,
            g.getValue().endpoints);
      }
      for (Map.Entry<String, List<EndpointSlice>> e : byPorts.entrySet()) {
        if (!desired.containsKey(e.getKey())) {
          w.deletes.addAll(e.getValue());
        }
      }
      int typeDeletes = w.deletes.size();
      if (existing.size() == typeDeletes && w.creates.isEmpty()) {
        EndpointSlice placeholder = w.newSlice(List.of(), List.of());
        if (typeDeletes == 1 && isPlaceholder(w.deletes.getFirst(), labels)) {
          w.deletes.clear();
        } else {
          w.creates.add(placeholder);
        }
      }
      if (auto) {
        var si = new TopologyHints.SliceInfo(type, w.creates, w.updates, unchanged(existing, w));
        var result = TopologyHints.addHints(si, ratios, populated);
        events.addAll(result.events());
        populated = result.hintsByZone().isPresent();
        result.hintsByZone().ifPresent(h -> hints.put(type, h));
        w.updates.forEach(w::annotate);
      } else if (populated) {
        events.add(
            TopologyHints.warning(TopologyHints.DISABLED_MESSAGE + ", addressType: " + type));
        populated = false;
      }
      creates.addAll(w.creates);
      updates.addAll(w.updates);
      deletes.addAll(w.deletes);
    }
    recycle(svc, creates, updates, deletes);
    return new SlicePlan(creates, updates, deletes, events, hints, populated);
  }

  /** The existing slices of one address type the reconcile neither updates nor deletes. */
  private static List<EndpointSlice> unchanged(List<EndpointSlice> existing, SliceWriter w) {
    java.util.Set<String> touched = new java.util.HashSet<>();
    w.updates.forEach(s -> touched.add(s.getMetadata().getName()));
    w.deletes.forEach(s -> touched.add(s.getMetadata().getName()));
    List<EndpointSlice> out = new ArrayList<>();
    for (EndpointSlice s : existing) {
      if (!touched.contains(s.getMetadata().getName())) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Whether topology-aware hints are asked for: {@code service.kubernetes.io/topology-aware-hints}
   * (deprecated, wins when set) or {@code service.kubernetes.io/topology-mode}, {@code Auto} or
   * {@code auto}.
   */
  public static boolean hintsEnabled(Service svc) {
    var ann = svc.getMetadata().getAnnotations();
    if (ann == null) {
      return false;
    }
    String v = ann.get("service.kubernetes.io/topology-aware-hints");
    if (v == null) {
      v = ann.get("service.kubernetes.io/topology-mode");
    }
    return "Auto".equals(v) || "auto".equals(v);
  }

  /** Turns create+delete pairs of the same address type into updates (spec §2.8 step 6). */
  private static void recycle(
      Service svc,
      List<EndpointSlice> creates,
      List<EndpointSlice> updates,
      List<EndpointSlice> deletes) {
    for (int i = 0; i < deletes.size() && !creates.isEmpty(); ) {
      EndpointSlice old = deletes.get(i);
      EndpointSlice last = creates.getLast();
      if (Objects.equals(old.getAddressType(), last.getAddressType()) && ownedBy(old, svc)) {
        last.getMetadata().setName(old.getMetadata().getName());
        last.getMetadata().setGenerateName(null);
        last.getMetadata().setResourceVersion(old.getMetadata().getResourceVersion());
        creates.removeLast();
        updates.add(last);
        deletes.remove(i);
      } else {
        i++;
      }
    }
  }

  private record Group(List<PortValue> ports, LinkedHashMap<String, EndpointValue> endpoints) {}

  private static Map<String, Group> desired(Input in, String type) {
    Service svc = in.service();
    IpFamily family = type.equals("IPv6") ? IpFamily.IPV6 : IpFamily.IPV4;
    boolean publishNotReady = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
    String distribution = trafficDistribution(svc);
    Map<String, Group> groups = new TreeMap<>();
    for (Pod pod : in.pods()) {
      if (PodFacts.isTerminal(pod)) {
        continue;
      }
      Optional<String> ip = PodFacts.ip(pod, family);
      if (ip.isEmpty()) {
        continue;
      }
      Optional<String> nodeName = PodFacts.nodeName(pod);
      Node node = nodeName.map(in.nodes()::get).orElse(null);
      if (nodeName.isPresent() && node == null && !publishNotReady) {
        continue; // the real controller reports an error and retries
      }
      String zone =
          node == null || node.getMetadata().getLabels() == null
              ? null
              : node.getMetadata().getLabels().get("topology.kubernetes.io/zone");
      boolean serving = PodFacts.isReady(pod);
      boolean terminating = PodFacts.isTerminating(pod);
      boolean ready = publishNotReady || (serving && !terminating);
      List<String> zoneHints = List.of();
      List<String> nodeHints = List.of();
      if (distribution != null && ready && zone != null) {
        zoneHints = List.of(zone);
        if (distribution.equals("PreferSameNode") && nodeName.isPresent()) {
          nodeHints = List.of(nodeName.get());
        }
      }
      EndpointValue ev =
          new EndpointValue(
              ip.get(),
              PodFacts.hostname(pod, svc).orElse(null),
              nodeName.orElse(null),
              zone,
              ready,
              serving,
              terminating,
              pod.getMetadata().getNamespace(),
              pod.getMetadata().getName(),
              pod.getMetadata().getUid(),
              zoneHints,
              nodeHints);
      List<PortValue> ports = ports(svc, pod);
      groups
          .computeIfAbsent(PortValue.key(ports), k -> new Group(ports, new LinkedHashMap<>()))
          .endpoints
          .put(ev.key(), ev);
    }
    return groups;
  }

  /** The slice ports a pod gives a Service: each Service port whose target resolves. */
  static List<PortValue> ports(Service svc, Pod pod) {
    List<PortValue> out = new ArrayList<>();
    for (ServicePort sp : svc.getSpec().getPorts()) {
      OptionalInt target = PodFacts.targetPort(pod, sp);
      if (target.isPresent()) {
        out.add(
            new PortValue(
                Objects.toString(sp.getName(), ""),
                target.getAsInt(),
                Objects.toString(sp.getProtocol(), "TCP"),
                sp.getAppProtocol()));
      }
    }
    return out;
  }

  private static @Nullable String trafficDistribution(Service svc) {
    if (hintsEnabled(svc)) {
      return null; // the annotation takes precedence
    }
    String d = svc.getSpec().getTrafficDistribution();
    if ("PreferClose".equals(d) || "PreferSameZone".equals(d)) {
      return "PreferSameZone";
    }
    return "PreferSameNode".equals(d) ? d : null;
  }

  /** The address types a Service wants slices of (spec §2.3). */
  public static List<String> addressTypes(Service svc) {
    List<String> out = new ArrayList<>();
    List<String> families = svc.getSpec().getIpFamilies();
    if (families != null && !families.isEmpty()) {
      for (String f : families) {
        if ((f.equals("IPv4") || f.equals("IPv6")) && !out.contains(f)) {
          out.add(f);
        }
      }
      return out;
    }
    String ip = svc.getSpec().getClusterIP();
    if (ip != null && !ip.isEmpty() && !ip.equals("None")) {
      try {
        return List.of(IpAddress.parse(ip).family() == IpFamily.IPV6 ? "IPv6" : "IPv4");
      } catch (RuntimeException e) {
        return List.of("IPv4");
      }
    }
    return List.of("IPv4", "IPv6");
  }

  static boolean ownedBy(EndpointSlice s, Service svc) {
    for (OwnerReference r : s.getMetadata().getOwnerReferences()) {
      if (Boolean.TRUE.equals(r.getController())
          && Objects.equals(r.getUid(), svc.getMetadata().getUid())) {
        return true;
      }
    }
    return false;
  }

  static List<PortValue> ports(EndpointSlice s) {
    return s.getPorts() == null ? List.of() : s.getPorts().stream().map(PortValue::of).toList();
  }

  private static boolean isPlaceholder(EndpointSlice s, Map<String, String> labels) {
    return (s.getEndpoints() == null || s.getEndpoints().isEmpty())
        && (s.getPorts() == null || s.getPorts().isEmpty())
        && Objects.equals(s.getMetadata().getLabels(), labels);
  }
}
