package dev.podpath.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.io.ManifestSet;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The scheduler from manifests: a Deployment spread evenly over zones by its topology spread
 * constraint, then a pod whose anti-affinity no node satisfies stays Pending with the scheduler's
 * message until a node is free of the pods it avoids.
 */
class SchedulingScenarioTest {

  static final String CLUSTER =
      """
      apiVersion: podpath.dev/v1alpha1
      kind: Cluster
      metadata: {name: zones}
      spec:
        nodes:
        - {name: control-plane, role: control-plane}
        - {name: w1, labels: {topology.kubernetes.io/zone: zone-a}}
        - {name: w2, labels: {topology.kubernetes.io/zone: zone-a}}
        - {name: w3, labels: {topology.kubernetes.io/zone: zone-b}}
      """;

  static String web(int replicas) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: %d
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 30
              topologySpreadConstraints:
              - maxSkew: 1
                topologyKey: topology.kubernetes.io/zone
                whenUnsatisfiable: DoNotSchedule
                labelSelector: {matchLabels: {app: web}}
              containers: [{name: nginx, image: nginx}]
        """
        .formatted(replicas);
  }

  static final String CACHE =
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: cache, labels: {app: cache}}
      spec:
        affinity:
          podAntiAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector: {matchLabels: {app: web}}
              topologyKey: kubernetes.io/hostname
        containers: [{name: redis, image: redis}]
      """;

  private final ManifestSet shape = ManifestReader.parse("cluster.yaml", CLUSTER);
  private final ControlPlane cp = ControlPlane.start(shape.cluster().orElseThrow().shape());

  private Map<String, Integer> webPodsPerZone() {
    Map<String, Integer> out = new TreeMap<>();
    for (Pod p : webPods()) {
      String zone =
          cp.get(io.fabric8.kubernetes.api.model.Node.class, "", p.getSpec().getNodeName())
              .orElseThrow()
              .getMetadata()
              .getLabels()
              .get("topology.kubernetes.io/zone");
      out.merge(zone, 1, Integer::sum);
    }
    return out;
  }

  private List<Pod> webPods() {
    return cp.list(
        Pod.class, "default", LabelSelectors.parse("app=web"), FieldSelector.everything());
  }

  @Test
  void aZoneSpreadConstraintKeepsZonesWithinMaxSkew() {
    cp.apply(ManifestReader.parse("web.yaml", web(3)));
    assertThat(webPodsPerZone()).isEqualTo(Map.of("zone-a", 2, "zone-b", 1));
    cp.scale(Kind.DEPLOYMENT, "default", "web", 4);
    assertThat(webPodsPerZone()).isEqualTo(Map.of("zone-a", 2, "zone-b", 2));
    assertThat(webPods())
        .extracting(p -> p.getSpec().getNodeName())
        .doesNotContain("control-plane");
  }

  @Test
  void anUnsatisfiableAntiAffinityStaysPendingUntilANodeIsFree() {
    cp.apply(ManifestReader.parse("web.yaml", web(3)));
    cp.apply(ManifestReader.parse("cache.yaml", CACHE));
    Pod cache = cp.get(Pod.class, "default", "cache").orElseThrow();
    assertThat(cache.getSpec().getNodeName()).isNull();
    assertThat(cache.getStatus().getPhase()).isEqualTo("Pending");
    var cond = cache.getStatus().getConditions().getFirst();
    assertThat(cond.getType() + " " + cond.getStatus() + " " + cond.getReason())
        .isEqualTo("PodScheduled False Unschedulable");
    assertThat(cond.getMessage())
        .isEqualTo(
            "0/4 nodes are available: 1 node(s) had untolerated taint"
                + " {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match pod"
                + " anti-affinity rules. preemption: 0/4 nodes are available: 1 Preemption is not"
                + " helpful for scheduling, 3 No preemption victims found for incoming pod.");

    cp.scale(Kind.DEPLOYMENT, "default", "web", 2);
    // the removed web pod is terminating for its grace period, and still counts
    assertThat(cp.get(Pod.class, "default", "cache").orElseThrow().getSpec().getNodeName())
        .isNull();
    cp.advance(Duration.ofSeconds(30));
    String node = cp.get(Pod.class, "default", "cache").orElseThrow().getSpec().getNodeName();
    assertThat(node).isNotNull();
    assertThat(webPods()).extracting(p -> p.getSpec().getNodeName()).doesNotContain(node);
  }
}
