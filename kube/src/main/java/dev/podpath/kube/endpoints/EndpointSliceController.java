package dev.podpath.kube.endpoints;

import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.store.WatchEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The EndpointSlice controller: watches Services, Pods, Nodes and its own slices, and for each
 * queued Service applies the {@link EndpointSlicePlanner}'s plan (creates, then updates, then
 * deletes). Services without a selector or of type ExternalName are left alone.
 */
public final class EndpointSliceController extends ServiceEndpointsController {

  private final int maxEndpointsPerSlice;

  /** The topology cache's state: Services with hints populated, and their hints per zone. */
  private final java.util.Set<String> hintsPopulated = new java.util.HashSet<>();

  private final Map<String, Map<String, Map<String, Integer>>> hintsByService = new TreeMap<>();
  private final java.util.LinkedHashSet<String> events = new java.util.LinkedHashSet<>();

  public EndpointSliceController(int maxEndpointsPerSlice) {
    this.maxEndpointsPerSlice = maxEndpointsPerSlice;
  }

  @Override
  public String name() {
    return "endpointslice-controller";
  }

  @Override
  protected void watches() {
    watchServicesAndPods();
    on(
        Kind.ENDPOINT_SLICE,
        LabelSelectors.parse(SliceLabels.MANAGED_BY + "=" + SliceLabels.CONTROLLER),
        e -> {
          var labels = e.object().getMetadata().getLabels();
          if (labels != null && labels.containsKey(SliceLabels.SERVICE_NAME)) {
            queue()
                .add(
                    e.object().getMetadata().getNamespace()
                        + "/"
                        + labels.get(SliceLabels.SERVICE_NAME));
          }
        });
    on(
        Kind.NODE,
        e -> {
          if (e.type() != WatchEvent.Type.MODIFIED) {
            store().list(Service.class, null).forEach(s -> queue().add(key(s)));
          }
          queueOverloaded();
        });
  }

  /**
   * {@code checkNodeTopologyDistribution}: after a Node change, the Services whose hints leave a
   * zone below its minimum under the new CPU ratios are synced again.
   */
  private void queueOverloaded() {
    Map<String, Double> ratios = ZoneRatios.of(store().list(Node.class, null)).orElse(Map.of());
    hintsByService.forEach(
        (svc, byType) -> {
          if (byType.values().stream().anyMatch(h -> TopologyHints.overloaded(h, ratios))) {
            queue().add(svc);
          }
        });
  }

  /**
   * The events recorded on Services ({@code TopologyAwareHintsEnabled}, {@code
   * TopologyAwareHintsDisabled}) as {@code NAMESPACE/NAME: TYPE REASON MESSAGE}, by when they were
   * last seen; a repeat is one event, as the event recorder folds them (its count is not kept).
   */
  public List<String> events() {
    return List.copyOf(events);
  }

  @Override
  public void sync(String key) {
    NamespacedName k = NamespacedName.of(key);
    String trigger = takeTriggerTime(key);
    Optional<Service> found = store().get(Service.class, k.namespace(), k.name());
    if (found.isEmpty()) {
      hintsPopulated.remove(key);
      hintsByService.remove(key);
      return; // its slices go by garbage collection
    }
    Service svc = found.get();
    Optional<List<Pod>> selected = selectedPods(svc);
    if (selected.isEmpty()) {
      return;
    }
    List<Pod> pods = selected.get();
    Map<String, Node> nodes = new TreeMap<>();
    if (EndpointSlicePlanner.hintsEnabled(svc)) {
      // topology hints weigh every zone's allocatable CPU: all nodes
      store().list(Node.class, null).forEach(n -> nodes.put(n.getMetadata().getName(), n));
    } else {
      // only the nodes the selected pods run on: the planner looks nothing else up, and listing
      // every node per sync costs O(nodes) in large clusters
      for (Pod p : pods) {
        String nodeName = p.getSpec() == null ? null : p.getSpec().getNodeName();
        if (nodeName != null && !nodeName.isEmpty() && !nodes.containsKey(nodeName)) {
          store().get(Node.class, "", nodeName).ifPresent(n -> nodes.put(nodeName, n));
        }
      }
    }
    List<EndpointSlice> existing =
        SlicePlan.managedSlices(store(), k.namespace(), k.name(), SliceLabels.CONTROLLER);
    SlicePlan plan =
        EndpointSlicePlanner.plan(
            new EndpointSlicePlanner.Input(
                svc,
                pods,
                nodes,
                existing,
                maxEndpointsPerSlice,
                trigger,
                hintsPopulated.contains(key)));
    if (plan.hintsPopulated()) {
      hintsPopulated.add(key);
    } else {
      hintsPopulated.remove(key);
    }
    if (plan.hintsByZone().isEmpty()) {
      hintsByService.remove(key);
    } else {
      hintsByService.put(key, plan.hintsByZone());
    }
    for (var ev : plan.events()) {
      String line = key + ": " + ev;
      events.remove(line); // a repeat is folded into one event, last seen now
      events.add(line);
    }
    plan.applyTo(store(), svc.getMetadata().getDeletionTimestamp() == null);
  }

  static String key(HasMetadata o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }
}
