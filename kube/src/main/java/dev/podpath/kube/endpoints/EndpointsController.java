package dev.podpath.kube.endpoints;

import dev.podpath.kube.model.Kind;
import dev.podpath.kube.store.ObjectKey;
import dev.podpath.kube.store.WatchEvent;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Optional;

/**
 * The legacy Endpoints controller: one Endpoints object per selector Service, kept in line by
 * {@link EndpointsPlanner}; deleted with its Service. Endpoints of Services that no longer exist
 * are deleted too (except leader-election objects).
 */
public final class EndpointsController extends ServiceEndpointsController {

  private final int maxCapacity;

  /** The controller with the 1000-address cap of Kubernetes 1.22 and later. */
  public EndpointsController() {
    this(EndpointsPlanner.MAX_CAPACITY);
  }

  /** The controller with another cap; 0 means none (before 1.22). */
  public EndpointsController(int maxCapacity) {
    this.maxCapacity = maxCapacity;
  }

  @Override
  public String name() {
    return "endpoints-controller";
  }

  @Override
  protected void watches() {
    watchServicesAndPods();
    on(
        Kind.ENDPOINTS,
        e -> {
          if (e.type() != WatchEvent.Type.MODIFIED) {
            queue().add(EndpointSliceController.key(e.object()));
          }
        });
  }

  @Override
  public void sync(String key) {
    NamespacedName k = NamespacedName.of(key);
    String trigger = takeTriggerTime(key);
    Optional<Service> found = store().get(Service.class, k.namespace(), k.name());
    Optional<Endpoints> existing = store().get(Endpoints.class, k.namespace(), k.name());
    if (found.isEmpty()) {
      existing
          .filter(
              ep ->
                  ep.getMetadata().getAnnotations() == null
                      || !ep.getMetadata().getAnnotations().containsKey(SliceLabels.LEADER))
          .filter(ep -> !"default/kubernetes".equals(key))
          .ifPresent(ep -> store().delete(ObjectKey.of(ep)));
      return;
    }
    Service svc = found.get();
    Optional<List<Pod>> pods = selectedPods(svc);
    if (pods.isEmpty()) {
      return;
    }
    EndpointsPlanner.Plan plan =
        EndpointsPlanner.plan(svc, pods.get(), existing.orElse(null), trigger, maxCapacity);
    switch (plan.action()) {
      case CREATE -> store().create(plan.endpoints());
      case UPDATE -> store().update(plan.endpoints());
      case NONE -> {}
    }
  }
}
