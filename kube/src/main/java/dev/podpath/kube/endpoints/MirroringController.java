package dev.podpath.kube.endpoints;

import dev.podpath.kube.loop.Controller;
import dev.podpath.kube.loop.WorkQueue;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.ObjectKey;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Optional;

/**
 * The EndpointSliceMirroring controller: Endpoints written for selector-less Services get
 * EndpointSlices managed by {@code endpointslicemirroring-controller.k8s.io}.
 */
public final class MirroringController implements Controller {

  private final int maxPerSubset;
  private ApiStore store;

  public MirroringController(int maxPerSubset) {
    this.maxPerSubset = maxPerSubset;
  }

  @Override
  public String name() {
    return "endpointslicemirroring-controller";
  }

  @Override
  public void start(ApiStore store, WorkQueue queue) {
    this.store = store;
    store.watch(
        name(),
        Kind.ENDPOINTS,
        null,
        Selector.everything(),
        FieldSelector.everything(),
        Optional.empty(),
        e -> queue.add(EndpointSliceController.key(e.object())));
    store.watch(
        name(),
        Kind.SERVICE,
        null,
        Selector.everything(),
        FieldSelector.everything(),
        Optional.empty(),
        e -> queue.add(EndpointSliceController.key(e.object())));
    store.watch(
        name(),
        Kind.ENDPOINT_SLICE,
        null,
        LabelSelectors.parse(SliceLabels.MANAGED_BY + "=" + SliceLabels.MIRRORING_CONTROLLER),
        FieldSelector.everything(),
        Optional.empty(),
        e -> {
          var labels = e.object().getMetadata().getLabels();
          queue.add(
              e.object().getMetadata().getNamespace() + "/" + labels.get(SliceLabels.SERVICE_NAME));
        });
  }

  @Override
  public void sync(String key) {
    String[] nsName = key.split("/", 2);
    Optional<Service> svc = store.get(Service.class, nsName[0], nsName[1]);
    Optional<Endpoints> ep = store.get(Endpoints.class, nsName[0], nsName[1]);
    boolean selectorless =
        svc.isPresent()
            && (svc.get().getSpec().getSelector() == null
                || svc.get().getSpec().getSelector().isEmpty());
    Endpoints source = ep.filter(e -> MirroringPlanner.mirrored(e, selectorless)).orElse(null);
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
                    + SliceLabels.MIRRORING_CONTROLLER),
            FieldSelector.everything());
    SlicePlan plan = MirroringPlanner.plan(source, existing, maxPerSubset).plan();
    plan.creates().forEach(store::create);
    plan.updates().forEach(store::update);
    for (EndpointSlice s : plan.deletes()) {
      ObjectKey k = ObjectKey.of(s);
      if (store.get(k).isPresent()) {
        store.delete(k);
      }
    }
  }
}
