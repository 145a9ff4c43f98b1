package dev.podpath.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code service.kubernetes.io/topology-mode: Auto} from manifests: zone a has two nodes of 2 CPUs,
 * zone b one node of 4, so each zone should get half of the endpoints; with two pods per node, zone
 * a holds 4 of 6 and gives one to zone b.
 */
class TopologyHintsScenarioTest {

  private static final String CLUSTER =
      """
      apiVersion: podpath.dev/v1alpha1
      kind: Cluster
      metadata: {name: zones}
      spec:
        nodes:
        - {name: control-plane, role: control-plane}
        - {name: a1, labels: {topology.kubernetes.io/zone: zone-a}, capacity: {cpu: "2"}}
        - {name: a2, labels: {topology.kubernetes.io/zone: zone-a}, capacity: {cpu: "2"}}
        - {name: b1, labels: {topology.kubernetes.io/zone: zone-b}, capacity: {cpu: "4"}}
      """;

  private static String pods(int perNode) {
    StringBuilder b = new StringBuilder();
    for (String node : List.of("a1", "a2", "b1")) {
      for (int i = 0; i < perNode; i++) {
        b.append(
            """
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-%s-%d, labels: {app: web}}
            spec: {nodeName: %s, containers: [{name: c, image: nginx}]}
            """
                .formatted(node, i, node));
      }
    }
    return b.toString();
  }

  private static String service(String annotation) {
    return """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          annotations: {%s}
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        """
        .formatted(annotation);
  }

  private final ControlPlane cp =
      ControlPlane.start(
          ManifestReader.parse("cluster.yaml", CLUSTER).cluster().orElseThrow().shape());

  private Map<String, String> hints() {
    Map<String, String> out = new TreeMap<>();
    for (EndpointSlice s :
        cp.list(
            EndpointSlice.class,
            "default",
            LabelSelectors.parse("kubernetes.io/service-name=web"),
            FieldSelector.everything())) {
      for (Endpoint e : s.getEndpoints()) {
        out.put(
            e.getTargetRef().getName(),
            e.getZone()
                + "->"
                + (e.getHints() == null
                    ? "none"
                    : e.getHints().getForZones().getFirst().getName()));
      }
    }
    return out;
  }

  private void apply(String yaml) {
    cp.apply(ManifestReader.parse("m.yaml", yaml));
  }

  @Test
  void threeEndpointsInTwoEqualZonesCannotMeetTheMinimums() {
    apply(service("service.kubernetes.io/topology-mode: Auto") + pods(1));
    // desired 1.5 per zone, minimum ceil(1.5 / 1.2) = 2 each: 4 > 3
    assertThat(hints().values()).hasSize(3).allMatch(v -> v.endsWith("->none"));
    assertThat(cp.events())
        .containsExactly(
            "default/web: Warning TopologyAwareHintsDisabled Unable to allocate minimum required"
                + " endpoints to each zone without exceeding overload threshold (3 endpoints, 2"
                + " zones), addressType: IPv4");
  }

  @Test
  void endpointsAreAllocatedToZonesByCpuAndTheOverfullZoneGivesOne() {
    apply(service("service.kubernetes.io/topology-mode: Auto") + pods(2));
    Map<String, String> h = hints();
    assertThat(h).hasSize(6);
    assertThat(h.values().stream().filter(v -> v.endsWith("->zone-a"))).hasSize(3);
    assertThat(h.values().stream().filter(v -> v.endsWith("->zone-b"))).hasSize(3);
    // exactly one zone-a endpoint serves zone b, the first in slice order
    assertThat(h.values().stream().filter(v -> v.equals("zone-a->zone-b"))).hasSize(1);
    assertThat(cp.events())
        .containsExactly(
            "default/web: Normal TopologyAwareHintsEnabled Topology Aware Hints has been enabled,"
                + " addressType: IPv4");
  }

  @Test
  void tooFewEndpointsRemoveTheHintsWithAWarningAndTheyComeBack() {
    apply(service("service.kubernetes.io/topology-aware-hints: auto") + pods(2));
    assertThat(hints().values()).noneMatch(v -> v.endsWith("->none"));
    for (String node : List.of("a1", "a2", "b1")) {
      for (int i = 0; i < 2; i++) {
        if (!(node.equals("a1") && i == 0)) {
          cp.delete(dev.podpath.kube.model.Kind.POD, "default", "web-" + node + "-" + i, 0L);
        }
      }
    }
    assertThat(hints()).containsExactly(Map.entry("web-a1-0", "zone-a->none"));
    assertThat(cp.events())
        .contains(
            "default/web: Warning TopologyAwareHintsDisabled Insufficient number of endpoints (1"
                + " endpoints, 2 zones), addressType: IPv4");
    apply(pods(2));
    assertThat(hints().values()).hasSize(6).noneMatch(v -> v.endsWith("->none"));
    assertThat(cp.events().getLast()).contains("TopologyAwareHintsEnabled");
  }

  @Test
  void removingTheAnnotationRemovesTheHintsWithADisabledEvent() {
    apply(service("service.kubernetes.io/topology-mode: Auto") + pods(2));
    assertThat(hints().values()).noneMatch(v -> v.endsWith("->none"));
    apply(service("service.kubernetes.io/topology-mode: Disabled"));
    assertThat(hints().values()).hasSize(6).allMatch(v -> v.endsWith("->none"));
    assertThat(cp.events().getLast())
        .isEqualTo(
            "default/web: Warning TopologyAwareHintsDisabled Topology Aware Hints has been"
                + " disabled, addressType: IPv4");
  }

  @Test
  void theAnnotationTakesPrecedenceOverTrafficDistributionOnlyWhenItIsAuto() {
    String svc =
        service("service.kubernetes.io/topology-mode: Disabled")
            + "  trafficDistribution: PreferClose\n";
    apply(svc + pods(2));
    // not Auto: trafficDistribution applies, every ready endpoint hinted for its own zone
    assertThat(hints().values())
        .allMatch(v -> v.equals("zone-a->zone-a") || v.equals("zone-b->zone-b"));
  }
}
