package dev.podpath.kube.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kube.endpoints.TopologyHints.Allocation;
import dev.podpath.kube.endpoints.TopologyHints.HintEvent;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.ForZone;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The topology cache's rules, with the cases of upstream's {@code topologycache_test.go} and {@code
 * utils_test.go} (k8s.io/endpointslice) as vectors.
 */
class TopologyHintsTest {

  /** An endpoint "address zone ready[ hint]"; ready "-" leaves the condition unset. */
  private static Endpoint ep(String spec) {
    String[] f = spec.split(" ");
    EndpointBuilder b =
        new EndpointBuilder()
            .withAddresses(f[0])
            .withZone(f[1])
            .withNewConditions()
            .endConditions();
    if (!f[2].equals("-")) {
      b.editConditions().withReady(Boolean.parseBoolean(f[2])).endConditions();
    }
    if (f.length > 3) {
      b.withNewHints().withForZones(new ForZone(f[3])).endHints();
    }
    return b.build();
  }

  private static EndpointSlice slice(String name, String... endpoints) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withAddressType("IPv4")
        .withEndpoints(java.util.Arrays.stream(endpoints).map(TopologyHintsTest::ep).toList())
        .build();
  }

  /** Each endpoint of the slices as "address:hint" ("-" for none). */
  private static List<String> hints(List<EndpointSlice> slices) {
    List<String> out = new ArrayList<>();
    for (EndpointSlice s : slices) {
      for (Endpoint e : s.getEndpoints()) {
        out.add(
            e.getAddresses().getFirst()
                + ":"
                + (e.getHints() == null ? "-" : e.getHints().getForZones().getFirst().getName()));
      }
    }
    return out;
  }

  private static TopologyHints.SliceInfo info(
      List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> unchanged) {
    return new TopologyHints.SliceInfo(
        "IPv4", new ArrayList<>(create), new ArrayList<>(update), new ArrayList<>(unchanged));
  }

  private static List<String> reasons(List<HintEvent> events) {
    return events.stream().map(e -> e.type() + " " + e.reason() + " " + e.message()).toList();
  }

  @Test
  void noZoneRatiosMeansInsufficientNodeInformation() {
    var si = info(List.of(slice("a", "10.1.2.3 zone-a true")), List.of(), List.of());
    var r = TopologyHints.addHints(si, Optional.empty(), false);
    assertThat(r.hintsByZone()).isEmpty();
    assertThat(hints(si.toCreate)).containsExactly("10.1.2.3:-");
    assertThat(reasons(r.events()))
        .containsExactly(
            "Warning TopologyAwareHintsDisabled Insufficient Node information: allocatable CPU or"
                + " zone not specified on one or more nodes, addressType: IPv4");
  }

  @Test
  void twoEndpointsForThreeZonesAreTooFew() {
    var si =
        info(
            List.of(slice("a", "10.1.2.3 zone-a true", "10.1.2.4 zone-b true")),
            List.of(),
            List.of());
    var r =
        TopologyHints.addHints(
            si, Optional.of(Map.of("zone-a", 0.3, "zone-b", 0.4, "zone-c", 0.3)), false);
    assertThat(reasons(r.events()))
        .containsExactly(
            "Warning TopologyAwareHintsDisabled Insufficient number of endpoints (2 endpoints, 3"
                + " zones), addressType: IPv4");
    assertThat(hints(si.toCreate)).containsExactly("10.1.2.3:-", "10.1.2.4:-");
  }

  @Test
  void readyEndpointsGetTheirOwnZoneAndNotReadyOnesNone() {
    var si =
        info(
            List.of(
                slice(
                    "a",
                    "10.1.2.3 zone-a true",
                    "10.1.2.4 zone-b true",
                    "10.1.2.5 zone-b false",
                    "10.1.2.6 zone-b -")),
            List.of(),
            List.of());
    var r = TopologyHints.addHints(si, Optional.of(Map.of("zone-a", 0.45, "zone-b", 0.55)), false);
    assertThat(hints(si.toCreate))
        .containsExactly("10.1.2.3:zone-a", "10.1.2.4:zone-b", "10.1.2.5:-", "10.1.2.6:-");
    assertThat(r.hintsByZone()).contains(Map.of("zone-a", 1, "zone-b", 1));
    assertThat(reasons(r.events()))
        .containsExactly(
            "Normal TopologyAwareHintsEnabled Topology Aware Hints has been enabled, addressType:"
                + " IPv4");
    // a second time the Service already has hints: no event
    var again =
        info(
            List.of(slice("a", "10.1.2.3 zone-a true", "10.1.2.4 zone-b true")),
            List.of(),
            List.of());
    assertThat(
            TopologyHints.addHints(again, Optional.of(Map.of("zone-a", 0.45, "zone-b", 0.55)), true)
                .events())
        .isEmpty();
  }

  @Test
  void anOverfullZoneGivesAnEndpointToTheZoneWithTooFew() {
    var si =
        info(
            List.of(
                slice("c1", "10.1.2.3 zone-a true", "10.1.2.4 zone-b true"),
                slice(
                    "c2", "10.1.3.3 zone-c true", "10.1.3.4 zone-c true", "10.1.3.5 zone-a true")),
            List.of(
                slice("u1", "10.2.2.3 zone-a true", "10.2.2.4 zone-a true"),
                slice(
                    "u2", "10.2.3.3 zone-b true", "10.2.3.4 zone-c true", "10.2.3.5 zone-a true")),
            List.of());
    var r =
        TopologyHints.addHints(
            si, Optional.of(Map.of("zone-a", 0.35, "zone-b", 0.35, "zone-c", 0.30)), false);
    assertThat(hints(si.toCreate))
        .containsExactly(
            "10.1.2.3:zone-b",
            "10.1.2.4:zone-b",
            "10.1.3.3:zone-c",
            "10.1.3.4:zone-c",
            "10.1.3.5:zone-a");
    assertThat(hints(si.toUpdate))
        .containsExactly(
            "10.2.2.3:zone-a",
            "10.2.2.4:zone-a",
            "10.2.3.3:zone-b",
            "10.2.3.4:zone-c",
            "10.2.3.5:zone-a");
    assertThat(r.hintsByZone()).contains(Map.of("zone-a", 4, "zone-b", 3, "zone-c", 3));
  }

  @Test
  void unchangedSlicesKeepValidHintsAndInvalidOnesAreRewritten() {
    EndpointSlice valid = slice("v", "10.0.0.1 zone-a true zone-a", "10.0.0.2 zone-b true zone-b");
    EndpointSlice stale =
        slice("s", "10.0.0.3 zone-a true zone-gone", "10.0.0.4 zone-b true zone-b");
    var si = info(List.of(), List.of(), List.of(valid, stale));
    TopologyHints.addHints(si, Optional.of(Map.of("zone-a", 0.5, "zone-b", 0.5)), true);
    assertThat(si.unchanged).containsExactly(valid);
    assertThat(si.toUpdate).extracting(s -> s.getMetadata().getName()).containsExactly("s");
    assertThat(hints(si.toUpdate)).containsExactly("10.0.0.3:zone-a", "10.0.0.4:zone-b");
    // the unchanged slice object (the store's) was not modified
    assertThat(stale.getEndpoints().getFirst().getHints().getForZones().getFirst().getName())
        .isEqualTo("zone-gone");
  }

  @Test
  void anEndpointWithoutZoneRemovesAllHintsIncludingUnchangedSlices() {
    EndpointSlice hinted = slice("h", "10.0.0.1 zone-a true zone-a", "10.0.0.2 zone-b true zone-b");
    var si =
        info(
            List.of(slice("n", "10.0.0.5 zone-a true", "10.0.0.3  true")),
            List.of(),
            List.of(hinted));
    // "10.0.0.3  true" has an empty zone; 4 ready endpoints, 2 zones: allocations are possible
    var r = TopologyHints.addHints(si, Optional.of(Map.of("zone-a", 0.5, "zone-b", 0.5)), true);
    assertThat(reasons(r.events()))
        .containsExactly(
            "Warning TopologyAwareHintsDisabled One or more endpoints do not have a zone"
                + " specified, addressType: IPv4");
    assertThat(si.unchanged).isEmpty();
    assertThat(hints(si.toCreate)).containsExactly("10.0.0.5:-", "10.0.0.3:-");
    assertThat(hints(si.toUpdate)).containsExactly("10.0.0.1:-", "10.0.0.2:-");
  }

  @Test
  void allocationsHaveMinimumsBelowTheOverloadThreshold() {
    List<HintEvent> events = new ArrayList<>();
    Map<String, Allocation> a =
        TopologyHints.allocations(Optional.of(Map.of("zone-a", 0.5, "zone-b", 0.5)), 10, events);
    // desired 5, minimum ceil(5 / 1.2) = 5, maximum 5 + 10 - 10
    assertThat(a).containsEntry("zone-a", new Allocation(5, 5, 5.0));
    a = TopologyHints.allocations(Optional.of(Map.of("zone-a", 0.9, "zone-b", 0.1)), 3, events);
    // desired 2.7 and 0.3: minimums 3 and 1 exceed 3 endpoints
    assertThat(a).isEmpty();
    assertThat(events.getFirst().message())
        .isEqualTo(
            "Unable to allocate minimum required endpoints to each zone without exceeding overload"
                + " threshold (3 endpoints, 2 zones)");
  }

  /**
   * Upstream's getGivingAndReceivingZones cases: allocated, desired per zone → giving, receiving.
   */
  @Test
  void givingAndReceivingZones() {
    check(Map.of("zone-a", 1, "zone-b", 1, "zone-c", 1), 1.2, 1.1, 1.0, Map.of(), Map.of());
    check(
        Map.of("zone-a", 16),
        5.1,
        5.1,
        5.8,
        Map.of("zone-a", 10),
        Map.of("zone-b", 5, "zone-c", 5));
    check(
        Map.of("zone-a", 16),
        5.0,
        5.6,
        5.4,
        Map.of("zone-a", 11),
        Map.of("zone-b", 6, "zone-c", 5));
    check(
        Map.of("zone-b", 8, "zone-c", 8),
        5.0,
        5.6,
        5.4,
        Map.of("zone-b", 2, "zone-c", 3),
        Map.of("zone-a", 5));
    check(Map.of("zone-a", 6, "zone-b", 6, "zone-c", 6), 5.0, 5.0, 5.0, Map.of(), Map.of());
    check(Map.of("zone-a", 6, "zone-b", 6, "zone-c", 6), -5.0, -5.0, -5.0, Map.of(), Map.of());
    check(Map.of("zone-a", -4, "zone-b", -3, "zone-c", -2), 5.0, 5.0, 5.0, Map.of(), Map.of());
    check(
        Map.of("zone-a", -40, "zone-b", 20, "zone-c", 20),
        5.0,
        5.0,
        5.0,
        Map.of("zone-b", 15, "zone-c", 15),
        Map.of("zone-a", 30));
  }

  private static void check(
      Map<String, Integer> allocated,
      double a,
      double b,
      double c,
      Map<String, Integer> giving,
      Map<String, Integer> receiving) {
    Map<String, Allocation> allocations = new TreeMap<>();
    allocations.put("zone-a", new Allocation(0, 0, a));
    allocations.put("zone-b", new Allocation(0, 0, b));
    allocations.put("zone-c", new Allocation(0, 0, c));
    Map<String, Integer> g = new TreeMap<>();
    Map<String, Integer> r = new TreeMap<>();
    TopologyHints.givingAndReceiving(allocations, allocated, g, r);
    assertThat(g).isEqualTo(giving);
    assertThat(r).isEqualTo(receiving);
  }

  private static Node node(String zone, String cpu, boolean ready, boolean controlPlane) {
    NodeBuilder b =
        new NodeBuilder()
            .withNewMetadata()
            .withName("n")
            .endMetadata()
            .withNewStatus()
            .addToAllocatable("cpu", new Quantity(cpu))
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus();
    if (zone != null) {
      b.editMetadata().addToLabels(ZoneRatios.ZONE_LABEL, zone).endMetadata();
    }
    if (controlPlane) {
      b.editMetadata().addToLabels("node-role.kubernetes.io/control-plane", "").endMetadata();
    }
    return b.build();
  }

  /** Upstream's SetNodes cases. */
  @Test
  void zoneRatiosFromReadyWorkerNodesAllocatableCpu() {
    assertThat(ZoneRatios.of(List.of())).isEmpty();
    assertThat(ZoneRatios.of(List.of(node("zone-a", "1000m", true, false)))).isEmpty();
    assertThat(
            ZoneRatios.of(
                List.of(node("zone-a", "1", true, false), node("zone-a", "1", true, false))))
        .isEmpty();
    assertThat(
            ZoneRatios.of(
                List.of(node("zone-a", "1", true, false), node("zone-b", "1", true, false))))
        .contains(Map.of("zone-a", 0.5, "zone-b", 0.5));
    assertThat(
            ZoneRatios.of(
                List.of(node("zone-a", "1", false, false), node("zone-b", "1", true, false))))
        .isEmpty();
    assertThat(
            ZoneRatios.of(
                List.of(node("zone-a", "1", true, false), node("zone-b", "1", true, true))))
        .isEmpty();
    assertThat(
            ZoneRatios.of(
                List.of(
                    node("zone-a", "1", true, false),
                    node("zone-b", "1", true, false),
                    node("zone-b", "1", false, false))))
        .contains(Map.of("zone-a", 0.5, "zone-b", 0.5));
    assertThat(
            ZoneRatios.of(
                List.of(
                    node("zone-a", "1000m", true, false),
                    node("zone-a", "1000m", true, false),
                    node("zone-a", "1000m", true, false),
                    node("zone-a", "2000m", true, false),
                    node("zone-b", "3000m", true, false),
                    node("zone-b", "1500m", true, false),
                    node("zone-c", "500m", true, false))))
        .contains(Map.of("zone-a", 0.5, "zone-b", 0.45, "zone-c", 0.05));
    // a counted node without a zone makes the whole information insufficient
    assertThat(
            ZoneRatios.of(List.of(node("zone-a", "1", true, false), node(null, "1", true, false))))
        .isEmpty();
  }

  @Test
  void aServiceIsOverloadedWhenAZoneFallsBelowItsMinimum() {
    Map<String, Double> ratios = Map.of("zone-a", 0.5, "zone-b", 0.5);
    assertThat(TopologyHints.overloaded(Map.of("zone-a", 5, "zone-b", 5), ratios)).isFalse();
    // 10 total, zone-b needs ceil(5 / 1.2) = 5
    assertThat(TopologyHints.overloaded(Map.of("zone-a", 6, "zone-b", 4), ratios)).isTrue();
    assertThat(TopologyHints.overloaded(Map.of("zone-a", 10), ratios)).isTrue();
    assertThat(TopologyHints.overloaded(Map.of(), ratios)).isFalse();
    assertThat(TopologyHints.overloaded(Map.of("zone-a", 1), Map.of())).isTrue();
  }
}
