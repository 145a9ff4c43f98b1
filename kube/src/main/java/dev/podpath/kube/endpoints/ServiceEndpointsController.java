package dev.podpath.kube.endpoints;

import dev.podpath.kube.loop.QueueController;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the Endpoints and EndpointSlice controllers share: a Service is queued when it changes or
 * when a pod its selector matches (or matched) changes, remembering the time of the first change as
 * the trigger time ({@code endpoints.kubernetes.io/last-change-trigger-time}); and which pods a
 * Service selects.
 */
abstract class ServiceEndpointsController extends QueueController {

  private final ServiceTriggers triggers = new ServiceTriggers();
  private final Map<String, String> triggerTimes = new HashMap<>();

  /** Watches Services and Pods, queueing the Services concerned with their trigger time. */
  protected final void watchServicesAndPods() {
    on(Kind.SERVICE, e -> trigger(EndpointSliceController.key(e.object())));
    on(Kind.POD, e -> triggers.services(store(), e).forEach(this::trigger));
  }

  private void trigger(String key) {
    triggerTimes.putIfAbsent(key, store().timestamp());
    queue().add(key);
  }

  /** The trigger time of a queued Service, forgotten once taken. */
  protected final @Nullable String takeTriggerTime(String key) {
    return triggerTimes.remove(key);
  }

  /**
   * The pods of the Service's namespace its selector matches; empty when the controllers leave the
   * Service alone (no selector, or type ExternalName).
   */
  protected final Optional<List<Pod>> selectedPods(Service svc) {
    Map<String, String> selector = svc.getSpec().getSelector();
    if (selector == null || selector.isEmpty() || "ExternalName".equals(svc.getSpec().getType())) {
      return Optional.empty();
    }
    return Optional.of(
        store()
            .list(
                Pod.class,
                svc.getMetadata().getNamespace(),
                LabelSelectors.fromMap(selector),
                FieldSelector.everything()));
  }
}
