package dev.podpath.kube.endpoints;

import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.ObjectKey;
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

  /**
   * Writes the plan: creates (unless {@code creates} is false, as for a Service being deleted),
   * then updates, then deletes of the slices still there.
   */
  public void applyTo(ApiStore store, boolean creates) {
    if (creates) {
      creates().forEach(store::create);
    }
    updates().forEach(store::update);
    for (EndpointSlice s : deletes()) {
      ObjectKey key = ObjectKey.of(s);
      if (store.get(key).isPresent()) {
        store.delete(key);
      }
    }
  }

  /** The slices of a Service that one controller ({@code managedBy}) manages. */
  public static List<EndpointSlice> managedSlices(
      ApiStore store, String namespace, String service, String managedBy) {
    return store.list(
        EndpointSlice.class,
        namespace,
        LabelSelectors.parse(
            SliceLabels.SERVICE_NAME
                + "="
                + service
                + ","
                + SliceLabels.MANAGED_BY
                + "="
                + managedBy),
        FieldSelector.everything());
  }
}
