package dev.podpath.kube.endpoints;

import dev.podpath.kube.loop.QueueController;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.LabelSelectors;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Optional;

/**
 * The EndpointSliceMirroring controller: Endpoints written for selector-less Services get
 * EndpointSlices managed by {@code endpointslicemirroring-controller.k8s.io}.
 */
public final class MirroringController extends QueueController {

  private final int maxPerSubset;

  public MirroringController(int maxPerSubset) {
    this.maxPerSubset = maxPerSubset;
  }

  @Override
  public String name() {
    return "endpointslicemirroring-controller";
  }

  @Override
  protected void watches() {
    on(Kind.ENDPOINTS, e -> queue().add(EndpointSliceController.key(e.object())));
    on(Kind.SERVICE, e -> queue().add(EndpointSliceController.key(e.object())));
    on(
        Kind.ENDPOINT_SLICE,
        LabelSelectors.parse(SliceLabels.MANAGED_BY + "=" + SliceLabels.MIRRORING_CONTROLLER),
        e -> {
          var labels = e.object().getMetadata().getLabels();
          queue()
              .add(
                  e.object().getMetadata().getNamespace()
                      + "/"
                      + labels.get(SliceLabels.SERVICE_NAME));
        });
  }

  @Override
  public void sync(String key) {
    NamespacedName k = NamespacedName.of(key);
    Optional<Service> svc = store().get(Service.class, k.namespace(), k.name());
    Optional<Endpoints> ep = store().get(Endpoints.class, k.namespace(), k.name());
    boolean selectorless =
        svc.isPresent()
            && (svc.get().getSpec().getSelector() == null
                || svc.get().getSpec().getSelector().isEmpty());
    Endpoints source = ep.filter(e -> MirroringPlanner.mirrored(e, selectorless)).orElse(null);
    List<EndpointSlice> existing =
        SlicePlan.managedSlices(store(), k.namespace(), k.name(), SliceLabels.MIRRORING_CONTROLLER);
    SlicePlan plan = MirroringPlanner.plan(source, existing, maxPerSubset).plan();
    plan.applyTo(store(), true);
  }
}
