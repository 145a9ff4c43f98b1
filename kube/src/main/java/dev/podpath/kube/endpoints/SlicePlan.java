package dev.podpath.kube.endpoints;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;

/**
 * The writes a reconcile wants: slices to create (with {@code generateName}), to update (with their
 * existing name) and to delete. Applied in that order. With topology-aware hints also the events to
 * record on the Service, the hints allocated per address type and zone, and whether the Service now
 * counts as having hints (the topology cache's "populated" mark).
 */
public record SlicePlan(
    List<EndpointSlice> creates,
    List<EndpointSlice> updates,
    List<EndpointSlice> deletes,
    List<TopologyHints.HintEvent> events,
    Map<String, Map<String, Integer>> hintsByZone,
    boolean hintsPopulated) {

  public SlicePlan {
    creates = List.copyOf(creates);
    updates = List.copyOf(updates);
    deletes = List.copyOf(deletes);
    events = List.copyOf(events);
    hintsByZone = Map.copyOf(hintsByZone);
  }

  /** A plan without hints or events. */
  public SlicePlan(
      List<EndpointSlice> creates, List<EndpointSlice> updates, List<EndpointSlice> deletes) {
    this(creates, updates, deletes, List.of(), Map.of(), false);
  }

  public boolean isEmpty() {
    return creates.isEmpty() && updates.isEmpty() && deletes.isEmpty();
  }

  /** The number of API writes. */
  public int writes() {
    return creates.size() + updates.size() + deletes.size();
  }
}
