package dev.podpath.kube.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mirroring table of ../shared/specs/endpointslices.md §4.3. */
class MirroringPlannerTest {

  private static Endpoints ep(EndpointSubset... subsets) {
    return new EndpointsBuilder()
        .withNewMetadata()
        .withName("test-ep")
        .withNamespace("default")
        .withUid("ep-uid")
        .endMetadata()
        .withSubsets(subsets)
        .build();
  }

  private static EndpointSubset subset(List<Integer> ports, String... ips) {
    EndpointSubsetBuilder b = new EndpointSubsetBuilder();
    for (int i = 0; i < ports.size(); i++) {
      b.addNewPort().withName("p" + i).withPort(ports.get(i)).withProtocol("TCP").endPort();
    }
    for (String ip : ips) {
      b.addNewAddress().withIp(ip).endAddress();
    }
    return b.build();
  }

  private static MirroringPlanner.Result plan(Endpoints ep, List<EndpointSlice> existing) {
    return MirroringPlanner.plan(ep, existing, 1000);
  }

  @Test
  void noSubsetsOrNoAddressesGiveNoSlice() {
    assertThat(plan(ep(), List.of()).plan().writes()).isZero();
    assertThat(plan(ep(subset(List.of(80))), List.of()).plan().writes()).isZero();
  }

  @Test
  void oneSubsetOneSlice() {
    SlicePlan p = plan(ep(subset(List.of(80, 443), "10.0.0.1", "10.0.0.2")), List.of()).plan();
    assertThat(p.creates()).hasSize(1);
    EndpointSlice s = p.creates().getFirst();
    assertThat(s.getEndpoints()).hasSize(2);
    assertThat(s.getMetadata().getLabels())
        .containsEntry(
            "endpointslice.kubernetes.io/managed-by", "endpointslicemirroring-controller.k8s.io")
        .containsEntry("kubernetes.io/service-name", "test-ep");
    assertThat(s.getMetadata().getOwnerReferences().getFirst().getKind()).isEqualTo("Endpoints");
  }

  @Test
  void pendingDeletionCreatesNothing() {
    Endpoints e =
        new EndpointsBuilder(ep(subset(List.of(80), "10.0.0.1")))
            .editMetadata()
            .withDeletionTimestamp("2026-01-01T00:00:00Z")
            .endMetadata()
            .build();
    assertThat(plan(e, List.of()).plan().writes()).isZero();
  }

  @Test
  void twoPortSetsTwoSlicesAndAnExistingEmptyOneIsUpdated() {
    Endpoints e =
        ep(
            subset(List.of(80, 443), "10.0.0.1", "10.0.0.2"),
            subset(List.of(3000, 3001), "10.0.0.3", "10.0.0.4", "10.0.0.5"));
    assertThat(plan(e, List.of()).plan().creates()).hasSize(2);
    EndpointSlice empty =
        new EndpointSliceBuilder(plan(e, List.of()).plan().creates().getFirst())
            .editMetadata()
            .withName("test-ep-a")
            .withGenerateName(null)
            .endMetadata()
            .withEndpoints(List.of())
            .build();
    SlicePlan p = plan(e, List.of(empty)).plan();
    assertThat(p.creates()).hasSize(1);
    assertThat(p.updates()).hasSize(1);
    EndpointSlice same =
        new EndpointSliceBuilder(plan(e, List.of()).plan().creates().getFirst())
            .editMetadata()
            .withName("test-ep-a")
            .withGenerateName(null)
            .endMetadata()
            .build();
    SlicePlan p2 = plan(e, List.of(same)).plan();
    assertThat(p2.creates()).hasSize(1);
    assertThat(p2.updates()).isEmpty();
  }

  @Test
  void dualStackAndInvalidAddresses() {
    Endpoints dual =
        ep(subset(List.of(80), "10.0.0.1", "fd00::1"), subset(List.of(81), "10.0.0.2", "fd00::2"));
    assertThat(plan(dual, List.of()).plan().creates()).hasSize(4);
    Endpoints bad =
        ep(
            subset(List.of(80), "10.0.0.1", "not-an-ip"),
            subset(List.of(81), "10.0.0.2", "10.0.0.3", "999.1.1.1"));
    MirroringPlanner.Result r = plan(bad, List.of());
    assertThat(r.plan().creates()).hasSize(2);
    assertThat(r.invalidSkipped()).isEqualTo(2);
  }

  @Test
  void capPerSubsetSkipsTheRest() {
    Endpoints e =
        ep(
            subset(List.of(80), "10.0.0.1", "10.0.0.2"),
            subset(List.of(81), "10.0.0.3", "10.0.0.4", "10.0.0.5"));
    MirroringPlanner.Result r = MirroringPlanner.plan(e, List.of(), 2);
    assertThat(Fixtures.sizes(r.plan().creates())).containsExactly(2, 2);
    assertThat(r.overCapSkipped()).isEqualTo(1);
  }

  @Test
  void skipMirrorAndSelectorServicesAreNotMirrored() {
    Endpoints e =
        new EndpointsBuilder(ep())
            .editMetadata()
            .addToLabels("endpointslice.kubernetes.io/skip-mirror", "true")
            .endMetadata()
            .build();
    assertThat(MirroringPlanner.mirrored(e, true)).isFalse();
    assertThat(MirroringPlanner.mirrored(ep(), false)).isFalse();
    assertThat(MirroringPlanner.mirrored(ep(), true)).isTrue();
  }
}
