package dev.podpath.kube.endpoints;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The EndpointSliceMirroring reconciler as a pure function (spec §4): the slices that mirror a
 * selector-less Service's Endpoints, one per (port list, address family), at most {@code
 * maxPerSubset} addresses per subset, invalid IPs skipped.
 */
public final class MirroringPlanner {

  /** The default {@code --mirroring-max-endpoints-per-subset}. */
  public static final int DEFAULT_MAX_PER_SUBSET = 1000;

  /** The plan and how many addresses were skipped (invalid, over the cap). */
  public record Result(SlicePlan plan, int invalidSkipped, int overCapSkipped) {}

  private MirroringPlanner() {}

  /** Whether an Endpoints object is mirrored at all, given whether its Service qualifies. */
  public static boolean mirrored(Endpoints ep, boolean selectorlessServiceExists) {
    Map<String, String> labels = ep.getMetadata().getLabels();
    Map<String, String> ann = ep.getMetadata().getAnnotations();
    return selectorlessServiceExists
        && (labels == null || !"true".equals(labels.get(SliceLabels.SKIP_MIRROR)))
        && (ann == null || !ann.containsKey(SliceLabels.LEADER));
  }

  /** The plan for one Endpoints ({@code null}: not mirrored, delete every mirrored slice). */
  public static Result plan(
      @Nullable Endpoints ep, List<EndpointSlice> existing, int maxPerSubset) {
    if (ep == null) {
      return new Result(new SlicePlan(List.of(), List.of(), existing), 0, 0);
    }
    Map<String, EndpointSlice> desired = new LinkedHashMap<>();
    int invalid = 0;
    int overCap = 0;
    for (EndpointSubset subset :
        ep.getSubsets() == null ? List.<EndpointSubset>of() : ep.getSubsets()) {
      List<PortValue> ports =
          subset.getPorts() == null
              ? List.of()
              : subset.getPorts().stream()
                  .map(
                      p ->
                          new PortValue(
                              Objects.toString(p.getName(), ""),
                              p.getPort(),
                              Objects.toString(p.getProtocol(), "TCP"),
                              p.getAppProtocol()))
                  .toList();
      List<EndpointValue> values = new ArrayList<>();
      List<EndpointAddress> all = new ArrayList<>();
      List<Boolean> readiness = new ArrayList<>();
      for (EndpointAddress a : nonNull(subset.getAddresses())) {
        all.add(a);
        readiness.add(true);
      }
      for (EndpointAddress a : nonNull(subset.getNotReadyAddresses())) {
        all.add(a);
        readiness.add(false);
      }
      int taken = 0;
      for (int i = 0; i < all.size(); i++) {
        IpAddress ip;
        try {
          ip = IpAddress.parse(all.get(i).getIp());
        } catch (RuntimeException e) {
          invalid++;
          continue;
        }
        if (taken >= maxPerSubset) {
          overCap++;
          continue;
        }
        taken++;
        EndpointAddress a = all.get(i);
        values.add(
            new EndpointValue(
                ip.toString(),
                a.getHostname(),
                a.getNodeName(),
                null,
                readiness.get(i),
                null,
                null,
                a.getTargetRef() == null ? null : a.getTargetRef().getNamespace(),
                a.getTargetRef() == null ? null : a.getTargetRef().getName(),
                a.getTargetRef() == null ? null : a.getTargetRef().getUid(),
                List.of(),
                List.of()));
      }
      for (EndpointValue v : values) {
        String type = IpAddress.parse(v.address()).family() == IpFamily.IPV6 ? "IPv6" : "IPv4";
        String key = type + "|" + PortValue.key(ports);
        EndpointSlice slice = desired.computeIfAbsent(key, k -> newSlice(ep, type, ports));
        slice.getEndpoints().add(v.toEndpoint());
      }
    }
    return new Result(diff(ep, desired, existing), invalid, overCap);
  }

  private static SlicePlan diff(
      Endpoints ep, Map<String, EndpointSlice> desired, List<EndpointSlice> existing) {
    Map<String, List<EndpointSlice>> existingByKey = new TreeMap<>();
    for (EndpointSlice s : existing) {
      existingByKey
          .computeIfAbsent(
              s.getAddressType() + "|" + PortValue.key(EndpointSlicePlanner.ports(s)),
              k -> new ArrayList<>())
          .add(s);
    }
    List<EndpointSlice> creates = new ArrayList<>();
    List<EndpointSlice> updates = new ArrayList<>();
    List<EndpointSlice> deletes = new ArrayList<>();
    for (Map.Entry<String, EndpointSlice> e : desired.entrySet()) {
      List<EndpointSlice> have = existingByKey.remove(e.getKey());
      if (have == null || have.isEmpty()) {
        if (ep.getMetadata().getDeletionTimestamp() == null) {
          creates.add(e.getValue());
        }
        continue;
      }
      EndpointSlice first = have.getFirst();
      deletes.addAll(have.subList(1, have.size()));
      if (!sameContent(first, e.getValue())) {
        updates.add(
            new EndpointSliceBuilder(e.getValue())
                .editMetadata()
                .withName(first.getMetadata().getName())
                .withGenerateName(null)
                .withResourceVersion(first.getMetadata().getResourceVersion())
                .endMetadata()
                .build());
      }
    }
    existingByKey.values().forEach(deletes::addAll);
    for (int i = 0; i < deletes.size() && !creates.isEmpty(); ) {
      EndpointSlice old = deletes.get(i);
      EndpointSlice last = creates.getLast();
      if (Objects.equals(old.getAddressType(), last.getAddressType())) {
        creates.removeLast();
        updates.add(
            new EndpointSliceBuilder(last)
                .editMetadata()
                .withName(old.getMetadata().getName())
                .withGenerateName(null)
                .withResourceVersion(old.getMetadata().getResourceVersion())
                .endMetadata()
                .build());
        deletes.remove(i);
      } else {
        i++;
      }
    }
    return new SlicePlan(creates, updates, deletes);
  }

  private static boolean sameContent(EndpointSlice a, EndpointSlice b) {
    return Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels())
        && Objects.equals(
            nullToEmpty(a.getMetadata().getAnnotations()),
            nullToEmpty(b.getMetadata().getAnnotations()))
        && values(a).equals(values(b))
        && EndpointSlicePlanner.ports(a).equals(EndpointSlicePlanner.ports(b));
  }

  private static Map<String, String> nullToEmpty(@Nullable Map<String, String> m) {
    return m == null ? Map.of() : m;
  }

  private static List<EndpointValue> values(EndpointSlice s) {
    return s.getEndpoints() == null
        ? List.of()
        : s.getEndpoints().stream().map(EndpointValue::of).toList();
  }

  private static EndpointSlice newSlice(Endpoints ep, String type, List<PortValue> ports) {
    Map<String, String> labels = new TreeMap<>();
    if (ep.getMetadata().getLabels() != null) {
      labels.putAll(ep.getMetadata().getLabels());
    }
    labels.put(SliceLabels.SERVICE_NAME, ep.getMetadata().getName());
    labels.put(SliceLabels.MANAGED_BY, SliceLabels.MIRRORING_CONTROLLER);
    Map<String, String> ann = new TreeMap<>();
    if (ep.getMetadata().getAnnotations() != null) {
      ann.putAll(ep.getMetadata().getAnnotations());
    }
    ann.remove(SliceLabels.TRIGGER_TIME);
    ann.remove(SliceLabels.LAST_APPLIED);
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withGenerateName(ep.getMetadata().getName() + "-")
        .withNamespace(ep.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(ann.isEmpty() ? null : ann)
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Endpoints")
                .withName(ep.getMetadata().getName())
                .withUid(ep.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .endMetadata()
        .withAddressType(type)
        .withEndpoints(new ArrayList<>())
        .withPorts(ports.stream().map(PortValue::toPort).toList())
        .build();
  }

  private static List<EndpointAddress> nonNull(@Nullable List<EndpointAddress> l) {
    return l == null ? List.of() : l;
  }
}
