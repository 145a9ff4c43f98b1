package dev.podpath.kube.endpoints;

import dev.podpath.kube.io.Json;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointHints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.ForZone;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Topology Aware Hints for {@code service.kubernetes.io/topology-mode: Auto} ({@code
 * k8s.io/endpointslice/topologycache}): each zone should get a share of the ready endpoints in
 * proportion to its allocatable CPU ({@link ZoneRatios}), never below {@code ceil(desired / 1.2)}
 * (at most 20 % overload). Every ready endpoint first gets a hint for its own zone; zones holding
 * more than their share then give endpoints to zones holding less, whole endpoints only, while at
 * least half an endpoint is to give and to receive. Slices that would not change keep the hints
 * they have if those stay within each zone's maximum. Hints are removed, with a Warning event
 * {@code TopologyAwareHintsDisabled}, when the node information is insufficient, nodes are ready in
 * only one zone, there are fewer ready endpoints than zones, the minimums cannot all be met, or an
 * endpoint has no zone.
 */
public final class TopologyHints {

  /** The maximum overload of a zone's endpoints ({@code overloadThreshold}). */
  public static final double OVERLOAD_THRESHOLD = 0.2;

  public static final String DISABLED = "TopologyAwareHintsDisabled";
  public static final String ENABLED = "TopologyAwareHintsEnabled";

  static final String NO_ZONE = "One or more endpoints do not have a zone specified";
  static final String NO_ALLOCATED = "No hints allocated for zones";
  static final String ENABLED_MESSAGE = "Topology Aware Hints has been enabled";
  static final String DISABLED_MESSAGE = "Topology Aware Hints has been disabled";
  static final String INSUFFICIENT_NODE_INFO =
      "Insufficient Node information: allocatable CPU or zone not specified on one or more nodes";
  static final String ONE_ZONE = "Nodes only ready in one zone";
  static final String TOO_FEW = "Insufficient number of endpoints";
  static final String OVERLOAD =
      "Unable to allocate minimum required endpoints to each zone without exceeding overload"
          + " threshold";

  private TopologyHints() {}

  /** An event the controller records on the Service: type, reason, message. */
  public record HintEvent(String type, String reason, String message) {
    @Override
    public String toString() {
      return type + " " + reason + " " + message;
    }
  }

  /** A zone's allocation: at least {@code minimum}, at most {@code maximum}, ideally desired. */
  record Allocation(int minimum, int maximum, double desired) {}

  /** The slices of one address type, as the reconciler left them (lists are changed in place). */
  static final class SliceInfo {
    final String addressType;
    final List<EndpointSlice> toCreate;
    final List<EndpointSlice> toUpdate;
    final List<EndpointSlice> unchanged;

    SliceInfo(
        String addressType,
        List<EndpointSlice> toCreate,
        List<EndpointSlice> toUpdate,
        List<EndpointSlice> unchanged) {
      this.addressType = addressType;
      this.toCreate = toCreate;
      this.toUpdate = toUpdate;
      this.unchanged = unchanged;
    }
  }

  /** What {@link #addHints} decided: events, and the hints per zone when hints are populated. */
  record Result(List<HintEvent> events, Optional<Map<String, Integer>> hintsByZone) {}

  /** {@code getAllocations}: per zone, or the event saying why there are none. */
  static Map<String, Allocation> allocations(
      Optional<Map<String, Double>> ratios, int endpoints, List<HintEvent> events) {
    if (ratios.isEmpty()) {
      events.add(warning(INSUFFICIENT_NODE_INFO));
      return Map.of();
    }
    Map<String, Double> r = ratios.get();
    if (r.size() < 2) {
      events.add(warning(ONE_ZONE));
      return Map.of();
    }
    if (r.size() > endpoints) {
      events.add(warning(TOO_FEW + " (" + endpoints + " endpoints, " + r.size() + " zones)"));
      return Map.of();
    }
    int remaining = endpoints;
    int minTotal = 0;
    Map<String, double[]> parts = new TreeMap<>();
    for (Map.Entry<String, Double> e : r.entrySet()) {
      double desired = e.getValue() * endpoints;
      int minimum = (int) Math.ceil(desired * (1 / (1 + OVERLOAD_THRESHOLD)));
      parts.put(e.getKey(), new double[] {minimum, Math.max(desired, minimum)});
      minTotal += minimum;
      remaining -= minimum;
      if (remaining < 0) {
        events.add(warning(OVERLOAD + " (" + endpoints + " endpoints, " + r.size() + " zones)"));
        return Map.of();
      }
    }
    Map<String, Allocation> out = new TreeMap<>();
    for (Map.Entry<String, double[]> e : parts.entrySet()) {
      int min = (int) e.getValue()[0];
      out.put(e.getKey(), new Allocation(min, min + endpoints - minTotal, e.getValue()[1]));
    }
    return out;
  }

  /**
   * {@code AddHints}: sets hints on the slices of {@code si} (moving unchanged slices whose hints
   * must change to {@code toUpdate}); {@code populated} says whether the Service had hints before
   * (then no Enabled event).
   */
  static Result addHints(SliceInfo si, Optional<Map<String, Double>> ratios, boolean populated) {
    List<HintEvent> events = new ArrayList<>();
    int ready = 0;
    for (EndpointSlice s : all(si)) {
      ready += (int) endpoints(s).stream().filter(TopologyHints::isReady).count();
    }
    Map<String, Allocation> allocations = allocations(ratios, ready, events);
    if (!events.isEmpty()) {
      return removed(si, events);
    }
    Map<String, Integer> allocated = allocatedByZone(si, allocations);
    List<EndpointSlice> allocatable = new ArrayList<>(si.toCreate);
    allocatable.addAll(si.toUpdate);
    for (EndpointSlice s : allocatable) {
      for (Endpoint e : endpoints(s)) {
        if (!isReady(e)) {
          e.setHints(null);
          continue;
        }
        if (e.getZone() == null || e.getZone().isEmpty()) {
          events.add(warning(NO_ZONE));
          return removed(si, events);
        }
        allocated.merge(e.getZone(), 1, Integer::sum);
        e.setHints(zoneHint(e.getZone()));
      }
    }
    Map<String, Integer> giving = new TreeMap<>();
    Map<String, Integer> receiving = new TreeMap<>();
    givingAndReceiving(allocations, allocated, giving, receiving);
    redistribute(allocatable, giving, receiving)
        .forEach((zone, diff) -> allocated.merge(zone, diff, Integer::sum));
    if (allocated.isEmpty()) {
      events.add(warning(NO_ALLOCATED));
      return removed(si, events);
    }
    if (!populated) {
      events.add(new HintEvent("Normal", ENABLED, ENABLED_MESSAGE));
    }
    return new Result(withAddressType(events, si.addressType), Optional.of(allocated));
  }

  /** {@code RemoveHintsFromSlices}, with the events that say why. */
  private static Result removed(SliceInfo si, List<HintEvent> events) {
    removeHints(si);
    return new Result(withAddressType(events, si.addressType), Optional.empty());
  }

  /** Clears hints from the slices to write and moves unchanged slices that had some to update. */
  static void removeHints(SliceInfo si) {
    for (EndpointSlice s : si.toCreate) {
      endpoints(s).forEach(e -> e.setHints(null));
    }
    for (EndpointSlice s : si.toUpdate) {
      endpoints(s).forEach(e -> e.setHints(null));
    }
    for (int i = 0; i < si.unchanged.size(); ) {
      EndpointSlice s = si.unchanged.get(i);
      if (endpoints(s).stream().anyMatch(e -> e.getHints() != null)) {
        EndpointSlice copy = Json.copy(s);
        endpoints(copy).forEach(e -> e.setHints(null));
        si.unchanged.remove(i);
        si.toUpdate.add(copy);
      } else {
        i++;
      }
    }
  }

  /** {@code getAllocatedHintsByZone}: hints kept in unchanged slices; invalid ones to update. */
  private static Map<String, Integer> allocatedByZone(
      SliceInfo si, Map<String, Allocation> allocations) {
    Map<String, Integer> allocated = new TreeMap<>();
    for (int i = 0; i < si.unchanged.size(); ) {
      EndpointSlice s = si.unchanged.get(i);
      Map<String, Integer> byZone = hintsByZone(s, allocated, allocations);
      if (byZone == null) {
        si.unchanged.remove(i);
        si.toUpdate.add(Json.copy(s));
      } else {
        byZone.forEach((z, n) -> allocated.merge(z, n, Integer::sum));
        i++;
      }
    }
    return allocated;
  }

  /** {@code getHintsByZone}: null when the slice's hints are missing, stale or too many. */
  private static Map<String, Integer> hintsByZone(
      EndpointSlice s, Map<String, Integer> allocated, Map<String, Allocation> allocations) {
    Map<String, Integer> byZone = new TreeMap<>();
    for (Endpoint e : endpoints(s)) {
      if (!isReady(e)) {
        continue;
      }
      if (e.getHints() == null
          || e.getHints().getForZones() == null
          || e.getHints().getForZones().isEmpty()) {
        return null;
      }
      for (ForZone z : e.getHints().getForZones()) {
        if (!allocations.containsKey(z.getName())) {
          return null;
        }
        byZone.merge(z.getName(), 1, Integer::sum);
      }
    }
    for (Map.Entry<String, Integer> e : byZone.entrySet()) {
      if (e.getValue() + allocated.getOrDefault(e.getKey(), 0)
          > allocations.get(e.getKey()).maximum()) {
        return null;
      }
    }
    return byZone;
  }

  /** {@code getGivingAndReceivingZones}: whole endpoints each zone gives or receives. */
  static void givingAndReceiving(
      Map<String, Allocation> allocations,
      Map<String, Integer> allocated,
      Map<String, Integer> giving,
      Map<String, Integer> receiving) {
    Map<String, Double> give = new TreeMap<>();
    Map<String, Double> take = new TreeMap<>();
    for (Map.Entry<String, Allocation> e : allocations.entrySet()) {
      double have = allocated.getOrDefault(e.getKey(), 0);
      double target = e.getValue().desired();
      if (have > target) {
        give.put(e.getKey(), have - target);
      } else if (have < target) {
        take.put(e.getKey(), target - have);
      }
    }
    while (true) {
      String g = most(give);
      String t = most(take);
      if (g == null || t == null) {
        return;
      }
      double toGive = give.get(g);
      double toTake = take.get(t);
      if ((toGive < 1.0 && toTake < 1.0) || toGive < 0.5 || toTake < 0.5) {
        return;
      }
      giving.merge(g, 1, Integer::sum);
      give.put(g, toGive - 1);
      receiving.merge(t, 1, Integer::sum);
      take.put(t, toTake - 1);
    }
  }

  /** {@code getMost}: the zone with the largest positive value (first in zone order on ties). */
  private static String most(Map<String, Double> zones) {
    String zone = null;
    double n = 0;
    for (Map.Entry<String, Double> e : zones.entrySet()) {
      if (e.getValue() > n) {
        zone = e.getKey();
        n = e.getValue();
      }
    }
    return zone;
  }

  /** {@code redistributeHints}: re-points ready endpoints of giving zones at receiving zones. */
  private static Map<String, Integer> redistribute(
      List<EndpointSlice> slices, Map<String, Integer> giving, Map<String, Integer> receiving) {
    Map<String, Integer> changes = new TreeMap<>();
    for (EndpointSlice s : slices) {
      for (Endpoint e : endpoints(s)) {
        if (!isReady(e)) {
          e.setHints(null);
          continue;
        }
        if (giving.isEmpty() || receiving.isEmpty()) {
          return changes;
        }
        String from = e.getZone();
        if (from == null || from.isEmpty() || giving.getOrDefault(from, 0) <= 0) {
          continue;
        }
        for (String to : List.copyOf(receiving.keySet())) {
          e.setHints(zoneHint(to));
          decrement(giving, from);
          decrement(receiving, to);
          changes.merge(to, 1, Integer::sum);
          changes.merge(from, -1, Integer::sum);
          break;
        }
      }
    }
    return changes;
  }

  /**
   * {@code serviceOverloaded}: whether a zone holds fewer hinted endpoints than its minimum under
   * the current CPU ratios (then the Service is synced again when nodes change).
   */
  public static boolean overloaded(Map<String, Integer> hintsByZone, Map<String, Double> ratios) {
    if (hintsByZone.isEmpty()) {
      return false;
    }
    if (ratios.isEmpty()) {
      return true;
    }
    double total = hintsByZone.values().stream().mapToInt(Integer::intValue).sum();
    for (Map.Entry<String, Double> e : ratios.entrySet()) {
      Integer have = hintsByZone.get(e.getKey());
      if (have == null) {
        return true;
      }
      if (have < (int) Math.ceil(total * e.getValue() * (1 / (1 + OVERLOAD_THRESHOLD)))) {
        return true;
      }
    }
    return false;
  }

  private static void decrement(Map<String, Integer> m, String key) {
    int n = m.get(key);
    if (n == 1) {
      m.remove(key);
    } else {
      m.put(key, n - 1);
    }
  }

  private static List<EndpointSlice> all(SliceInfo si) {
    List<EndpointSlice> out = new ArrayList<>(si.toCreate);
    out.addAll(si.toUpdate);
    out.addAll(si.unchanged);
    return out;
  }

  private static List<Endpoint> endpoints(EndpointSlice s) {
    return s.getEndpoints() == null ? List.of() : s.getEndpoints();
  }

  /** {@code EndpointReady}: ready is set and true (unlike consumers, nil is not ready here). */
  static boolean isReady(Endpoint e) {
    return e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady());
  }

  private static EndpointHints zoneHint(String zone) {
    EndpointHints h = new EndpointHints();
    h.setForZones(List.of(new ForZone(zone)));
    return h;
  }

  static HintEvent warning(String message) {
    return new HintEvent("Warning", DISABLED, message);
  }

  private static List<HintEvent> withAddressType(List<HintEvent> events, String addressType) {
    return events.stream()
        .map(
            e -> new HintEvent(e.type(), e.reason(), e.message() + ", addressType: " + addressType))
        .toList();
  }
}
