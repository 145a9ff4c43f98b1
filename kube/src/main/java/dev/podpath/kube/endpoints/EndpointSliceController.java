package dev.podpath.kube.endpoints;

import dev.podpath.kube.loop.Controller;
import dev.podpath.kube.loop.WorkQueue;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.ObjectKey;
import dev.podpath.kube.store.WatchEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The EndpointSlice controller: watches Services, Pods, Nodes and its own slices, and for each
 * queued Service applies the {@link EndpointSlicePlanner}'s plan (creates, then updates, then
 * deletes). Services without a selector or of type ExternalName are left alone.
 */
public final class EndpointSliceController implements Controller {

  private final int maxEndpointsPerSlice;
  private ApiStore store;
  private WorkQueue queue;
  private final ServiceTriggers triggers = new ServiceTriggers();
  private final Map<String, String> triggerTimes = new HashMap<>();

  public EndpointSliceController(int maxEndpointsPerSlice) {
    this.maxEndpointsPerSlice = maxEndpointsPerSlice;
  }

  @Override
  public String name() {
    return "endpointslice-controller";
  }

  @Override
  public void start(ApiStore store, WorkQueue queue) {
    this.store = store;
    this.queue = queue;
    store.watch(
        name(),
        Kind.SERVICE,
        null,
        Selector.everything(),
        FieldSelector.everything(),
        Optional.empty(),
        e -> trigger(key(e.object())));
    store.watch(
        name(),
        Kind.POD,
        null,
        Selector.everything(),
        FieldSelector.everything(),
        Optional.empty(),
        this::onPod);
    store.watch(
        name(),
        Kind.ENDPOINT_SLICE,
        null,
        LabelSelectors.parse(SliceLabels.MANAGED_BY + "=" + SliceLabels.CONTROLLER),
        FieldSelector.everything(),
        Optional.empty(),
        e -> {
          var labels = e.object().getMetadata().getLabels();
          if (labels != null && labels.containsKey(SliceLabels.SERVICE_NAME)) {
            queue.add(
                e.object().getMetadata().getNamespace()
                    + "/"
                    + labels.get(SliceLabels.SERVICE_NAME));
          }
        });
    store.watch(
        name(),
        Kind.NODE,
        null,
        Selector.everything(),
        FieldSelector.everything(),
        Optional.empty(),
        e -> {
          if (e.type() != WatchEvent.Type.MODIFIED) {
            store.list(Service.class, null).forEach(s -> queue.add(key(s)));
          }
        });
  }

  private void onPod(WatchEvent e) {
    triggers.services(store, e).forEach(this::trigger);
  }

  private void trigger(String key) {
    triggerTimes.putIfAbsent(key, store.timestamp());
    queue.add(key);
  }

  @Override
  public void sync(String key) {
    String[] nsName = key.split("/", 2);
    String trigger = triggerTimes.remove(key);
    Optional<Service> found = store.get(Service.class, nsName[0], nsName[1]);
    if (found.isEmpty()) {
      return; // its slices go by garbage collection
    }
    Service svc = found.get();
    Map<String, String> selector = svc.getSpec().getSelector();
    if (selector == null || selector.isEmpty() || "ExternalName".equals(svc.getSpec().getType())) {
      return;
    }
    List<Pod> pods =
        store.list(
            Pod.class, nsName[0], LabelSelectors.fromMap(selector), FieldSelector.everything());
    // only the nodes the selected pods run on: the planner looks nothing else up, and listing
    // every node per sync costs O(nodes) in large clusters
    Map<String, Node> nodes = new TreeMap<>();
    for (Pod p : pods) {
      String nodeName = p.getSpec() == null ? null : p.getSpec().getNodeName();
      if (nodeName != null && !nodeName.isEmpty() && !nodes.containsKey(nodeName)) {
        store.get(Node.class, "", nodeName).ifPresent(n -> nodes.put(nodeName, n));
      }
    }
    List<EndpointSlice> existing =
        store.list(
            EndpointSlice.class,
            nsName[0],
            LabelSelectors.parse(
                SliceLabels.SERVICE_NAME
                    + "="
                    + nsName[1]
                    + ","
                    + SliceLabels.MANAGED_BY
                    + "="
                    + SliceLabels.CONTROLLER),
            FieldSelector.everything());
    SlicePlan plan =
        EndpointSlicePlanner.plan(
            new EndpointSlicePlanner.Input(
                svc, pods, nodes, existing, maxEndpointsPerSlice, trigger));
    if (svc.getMetadata().getDeletionTimestamp() == null) {
      plan.creates().forEach(store::create);
    }
    plan.updates().forEach(store::update);
    for (EndpointSlice s : plan.deletes()) {
      ObjectKey k = ObjectKey.of(s);
      if (store.get(k).isPresent()) {
        store.delete(k);
      }
    }
  }

  static String key(HasMetadata o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }
}
