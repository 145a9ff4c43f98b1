package dev.podpath.kube.endpoints;

import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import java.util.TreeMap;

/** The well-known labels and annotations of EndpointSlices and Endpoints. */
public final class SliceLabels {

  public static final String SERVICE_NAME = "kubernetes.io/service-name";
  public static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
  public static final String HEADLESS = "service.kubernetes.io/headless";
  public static final String SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror";
  public static final String TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
  public static final String OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity";
  public static final String LEADER = "control-plane.alpha.kubernetes.io/leader";
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  public static final String CONTROLLER = "endpointslice-controller.k8s.io";
  public static final String MIRRORING_CONTROLLER = "endpointslicemirroring-controller.k8s.io";

  private SliceLabels() {}

  /** Whether a Service has no ClusterIP ({@code clusterIP: None}). */
  public static boolean isHeadless(Service svc) {
    return "None".equals(svc.getSpec().getClusterIP());
  }

  /**
   * A controller's slice labels for a Service: the Service's labels without the reserved keys, then
   * the service name, managed-by and (headless) headless labels.
   */
  public static Map<String, String> forService(Service svc, String managedBy) {
    TreeMap<String, String> labels = new TreeMap<>();
    Map<String, String> own = svc.getMetadata().getLabels();
    if (own != null) {
      own.forEach(
          (k, v) -> {
            if (!k.equals(SERVICE_NAME) && !k.equals(MANAGED_BY) && !k.equals(HEADLESS)) {
              labels.put(k, v);
            }
          });
    }
    labels.put(SERVICE_NAME, svc.getMetadata().getName());
    labels.put(MANAGED_BY, managedBy);
    if (isHeadless(svc)) {
      labels.put(HEADLESS, "");
    }
    return labels;
  }
}
