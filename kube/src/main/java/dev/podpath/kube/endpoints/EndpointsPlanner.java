package dev.podpath.kube.endpoints;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The legacy Endpoints controller as a pure function (spec §5): one Endpoints object per selector
 * Service, one IP family, ready and not-ready addresses, subsets repacked by identical port sets,
 * and the 1000-address cap with its {@code over-capacity} annotation.
 */
public final class EndpointsPlanner {

  /** The most addresses an Endpoints object keeps (since 1.22). */
  public static final int MAX_CAPACITY = 1000;

  /** What to do with the Service's Endpoints object. */
  public enum Action {
    NONE,
    CREATE,
    UPDATE
  }

  /** The write (if any) and the desired object. */
  public record Plan(Action action, Endpoints endpoints) {}

  private EndpointsPlanner() {}

  /** The desired Endpoints of {@code svc} given its pods, compared with {@code existing}. */
  public static Plan plan(
      Service svc, List<Pod> pods, @Nullable Endpoints existing, @Nullable String triggerTime) {
    return plan(svc, pods, existing, triggerTime, MAX_CAPACITY);
  }

  /**
   * As {@link #plan(Service, List, Endpoints, String)} with another address cap; {@code 0} means
   * none, as before Kubernetes 1.22.
   */
  public static Plan plan(
      Service svc,
      List<Pod> pods,
      @Nullable Endpoints existing,
      @Nullable String triggerTime,
      int maxCapacity) {
    IpFamily family = family(svc, pods);
    boolean publishNotReady = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
    Map<String, Subset> byPorts = new TreeMap<>();
    for (Pod pod : pods) {
      if (PodFacts.isTerminal(pod) || (PodFacts.isTerminating(pod) && !publishNotReady)) {
        continue;
      }
      Optional<String> ip = PodFacts.ip(pod, family);
      if (ip.isEmpty()) {
        continue;
      }
      // plain setters, not the builder: equal objects, and this runs once per pod per sync
      ObjectReference ref = new ObjectReference();
      ref.setKind("Pod");
      ref.setNamespace(pod.getMetadata().getNamespace());
      ref.setName(pod.getMetadata().getName());
      ref.setUid(pod.getMetadata().getUid());
      EndpointAddress addr = new EndpointAddress();
      addr.setIp(ip.get());
      addr.setHostname(PodFacts.hostname(pod, svc).orElse(null));
      addr.setNodeName(PodFacts.nodeName(pod).orElse(null));
      addr.setTargetRef(ref);
      boolean ready = publishNotReady || PodFacts.isReady(pod);
      List<EndpointPort> ports = ports(svc, pod);
      if (ports.isEmpty() && !svc.getSpec().getPorts().isEmpty()) {
        continue; // no port of this Service resolves for the pod
      }
      Subset s = byPorts.computeIfAbsent(portsKey(ports), k -> new Subset(ports));
      (ready ? s.ready : s.notReady).add(addr);
    }
    List<EndpointSubset> subsets = new ArrayList<>();
    for (Subset s : byPorts.values()) {
      s.ready.sort(ADDRESS_ORDER);
      s.notReady.sort(ADDRESS_ORDER);
      subsets.add(
          new EndpointSubset(
              s.ready.isEmpty() ? null : s.ready,
              s.notReady.isEmpty() ? null : s.notReady,
              s.ports.isEmpty() ? null : s.ports));
    }
    boolean truncated = maxCapacity > 0 && truncate(subsets, maxCapacity);
    Map<String, String> labels = new TreeMap<>();
    if (svc.getMetadata().getLabels() != null) {
      labels.putAll(svc.getMetadata().getLabels());
    }
    if (SliceLabels.isHeadless(svc)) {
      labels.put(SliceLabels.HEADLESS, "");
    }
    Map<String, String> annotations = new TreeMap<>();
    if (existing != null && existing.getMetadata().getAnnotations() != null) {
      annotations.putAll(existing.getMetadata().getAnnotations());
    }
    annotations.remove(SliceLabels.OVER_CAPACITY);
    if (truncated) {
      annotations.put(SliceLabels.OVER_CAPACITY, "truncated");
    }
    if (existing != null
        && sameSubsets(existing.getSubsets(), subsets)
        && Objects.equals(
            existing.getMetadata().getLabels() == null
                ? Map.of()
                : existing.getMetadata().getLabels(),
            labels)
        && Objects.equals(overCapacity(existing), truncated ? "truncated" : null)) {
      return new Plan(Action.NONE, existing);
    }
    if (triggerTime != null) {
      annotations.put(SliceLabels.TRIGGER_TIME, triggerTime);
    } else {
      annotations.remove(SliceLabels.TRIGGER_TIME);
    }
    EndpointsBuilder b =
        existing == null
            ? new EndpointsBuilder()
                .withNewMetadata()
                .withName(svc.getMetadata().getName())
                .withNamespace(svc.getMetadata().getNamespace())
                .endMetadata()
            : new EndpointsBuilder(existing);
    Endpoints ep =
        b.editMetadata()
            .withLabels(labels.isEmpty() ? null : labels)
            .withAnnotations(annotations.isEmpty() ? null : annotations)
            .endMetadata()
            .withSubsets(subsets)
            .build();
    return new Plan(existing == null ? Action.CREATE : Action.UPDATE, ep);
  }

  private static final class Subset {
    final List<EndpointPort> ports;
    final List<EndpointAddress> ready = new ArrayList<>();
    final List<EndpointAddress> notReady = new ArrayList<>();

    Subset(List<EndpointPort> ports) {
      this.ports = ports;
    }
  }

  /** Addresses by IP text (byte-wise, so 10.0.0.10 sorts before 10.0.0.2), then pod uid. */
  private static final Comparator<EndpointAddress> ADDRESS_ORDER =
      Comparator.comparing(EndpointAddress::getIp)
          .thenComparing(
              a -> a.getTargetRef() == null ? "" : Objects.toString(a.getTargetRef().getUid(), ""));

  private static List<EndpointPort> ports(Service svc, Pod pod) {
    List<EndpointPort> out = new ArrayList<>();
    for (ServicePort sp : svc.getSpec().getPorts()) {
      OptionalInt target = PodFacts.targetPort(pod, sp);
      if (target.isPresent()) {
        out.add(
            new EndpointPort(
                sp.getAppProtocol(),
                sp.getName(),
                target.getAsInt(),
                Objects.toString(sp.getProtocol(), "TCP")));
      }
    }
    out.sort(
        Comparator.comparing((EndpointPort p) -> Objects.toString(p.getName(), ""))
            .thenComparing(EndpointPort::getPort));
    return out;
  }

  private static String portsKey(List<EndpointPort> ports) {
    StringBuilder sb = new StringBuilder();
    for (EndpointPort p : ports) {
      sb.append(p.getName())
          .append('/')
          .append(p.getPort())
          .append('/')
          .append(p.getProtocol())
          .append(';');
    }
    return sb.toString();
  }

  /** The family whose addresses go into Endpoints (spec §5). */
  static IpFamily family(Service svc, List<Pod> pods) {
    List<String> families = svc.getSpec().getIpFamilies();
    if (families != null && !families.isEmpty()) {
      return families.getFirst().equals("IPv6") ? IpFamily.IPV6 : IpFamily.IPV4;
    }
    String ip = svc.getSpec().getClusterIP();
    if (ip != null && !ip.isEmpty() && !ip.equals("None")) {
      try {
        return IpAddress.parse(ip).family();
      } catch (RuntimeException e) {
        return IpFamily.IPV4;
      }
    }
    for (Pod p : pods) {
      List<IpAddress> ips = PodFacts.ips(p);
      if (!ips.isEmpty()) {
        return ips.getFirst().family();
      }
    }
    return IpFamily.IPV4;
  }

  /** Truncates to {@link #MAX_CAPACITY} addresses, proportionally per subset; true if it did. */
  static boolean truncate(List<EndpointSubset> subsets) {
    return truncate(subsets, MAX_CAPACITY);
  }

  static boolean truncate(List<EndpointSubset> subsets, int cap) {
    int ready = 0;
    int notReady = 0;
    for (EndpointSubset s : subsets) {
      ready += size(s.getAddresses());
      notReady += size(s.getNotReadyAddresses());
    }
    if (ready + notReady <= cap) {
      return false;
    }
    boolean cutReady = ready > cap;
    int budget = cutReady ? cap : cap - ready;
    int total = cutReady ? ready : notReady;
    int left = budget;
    for (EndpointSubset s : subsets) {
      int inSubset = cutReady ? size(s.getAddresses()) : size(s.getNotReadyAddresses());
      int take = Math.min(left, (int) Math.ceil((double) inSubset / total * budget));
      if (cutReady) {
        s.setAddresses(new ArrayList<>(s.getAddresses().subList(0, Math.min(take, inSubset))));
        s.setNotReadyAddresses(null);
        left -= size(s.getAddresses());
      } else if (s.getNotReadyAddresses() != null) {
        s.setNotReadyAddresses(
            new ArrayList<>(s.getNotReadyAddresses().subList(0, Math.min(take, inSubset))));
        left -= size(s.getNotReadyAddresses());
      }
    }
    return true;
  }

  private static int size(@Nullable List<?> l) {
    return l == null ? 0 : l.size();
  }

  private static @Nullable String overCapacity(Endpoints ep) {
    return ep.getMetadata().getAnnotations() == null
        ? null
        : ep.getMetadata().getAnnotations().get(SliceLabels.OVER_CAPACITY);
  }

  /** Subsets equal field by field, an absent list reading as empty. */
  private static boolean sameSubsets(@Nullable List<EndpointSubset> a, List<EndpointSubset> b) {
    List<EndpointSubset> x = a == null ? List.of() : a;
    if (x.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < x.size(); i++) {
      if (!same(x.get(i).getAddresses(), b.get(i).getAddresses())
          || !same(x.get(i).getNotReadyAddresses(), b.get(i).getNotReadyAddresses())
          || !same(x.get(i).getPorts(), b.get(i).getPorts())) {
        return false;
      }
    }
    return true;
  }

  private static boolean same(@Nullable List<?> a, @Nullable List<?> b) {
    return (a == null ? List.of() : a).equals(b == null ? List.of() : b);
  }
}
