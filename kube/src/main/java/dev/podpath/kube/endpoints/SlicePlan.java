package dev.podpath.kube.endpoints;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;

/**
 * The writes a reconcile wants: slices to create (with {@code generateName}), to update (with their
 * existing name) and to delete. Applied in that order.
 */
public record SlicePlan(
    List<EndpointSlice> creates, List<EndpointSlice> updates, List<EndpointSlice> deletes) {

  public SlicePlan {
    creates = List.copyOf(creates);
    updates = List.copyOf(updates);
    deletes = List.copyOf(deletes);
  }

  public boolean isEmpty() {
    return creates.isEmpty() && updates.isEmpty() && deletes.isEmpty();
  }

  /** The number of API writes. */
  public int writes() {
    return creates.size() + updates.size() + deletes.size();
  }
}
