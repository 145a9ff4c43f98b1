package dev.podpath.kube.endpoints;

import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.WatchEvent;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which Services a Pod event concerns: those whose selector matches the pod's new labels or the
 * labels it had before (kept here as an informer cache would).
 */
final class ServiceTriggers {

  private final Map<String, Map<String, String>> podLabels = new HashMap<>();

  /** The keys ({@code ns/name}) of Services to sync for a pod event. */
  List<String> services(ApiStore store, WatchEvent e) {
    Pod pod = (Pod) e.object();
    String podKey = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    Map<String, String> before = podLabels.get(podKey);
    Map<String, String> now =
        pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    if (e.type() == WatchEvent.Type.DELETED) {
      podLabels.remove(podKey);
    } else {
      podLabels.put(podKey, now);
    }
    List<String> out = new ArrayList<>();
    for (Service svc : store.list(Service.class, pod.getMetadata().getNamespace())) {
      Map<String, String> sel = svc.getSpec().getSelector();
      if (sel == null || sel.isEmpty()) {
        continue;
      }
      if (LabelSelectors.matches(sel, now)
          || (before != null && LabelSelectors.matches(sel, before))) {
        out.add(svc.getMetadata().getNamespace() + "/" + svc.getMetadata().getName());
      }
    }
    return out;
  }
}
