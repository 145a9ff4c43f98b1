package dev.podpath.kube.endpoints;

import static dev.podpath.kube.endpoints.Fixtures.apply;
import static dev.podpath.kube.endpoints.Fixtures.plan;
import static dev.podpath.kube.endpoints.Fixtures.pods;
import static dev.podpath.kube.endpoints.Fixtures.service;
import static dev.podpath.kube.endpoints.Fixtures.sizes;
import static dev.podpath.kube.endpoints.Fixtures.sliceOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reconciler's test vectors of ../shared/specs/endpointslices.md §3. */
class EndpointSlicePlannerTest {

  private final Service svc = service("web");

  @Test
  void serviceWithNoPodsGetsAnEmptyPlaceholder() {
    SlicePlan p = plan(svc, List.of(), List.of(), 100);
    assertThat(p.creates()).hasSize(1);
    EndpointSlice s = p.creates().getFirst();
    assertThat(s.getMetadata().getGenerateName()).isEqualTo("web-");
    assertThat(s.getPorts()).isEmpty();
    assertThat(s.getEndpoints()).isEmpty();
    assertThat(s.getMetadata().getLabels())
        .containsEntry("kubernetes.io/service-name", "web")
        .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
    assertThat(s.getMetadata().getOwnerReferences().getFirst().getUid()).isEqualTo("svc-uid-web");
    // and a second reconcile keeps it
    assertThat(plan(svc, List.of(), apply(List.of(), p), 100).isEmpty()).isTrue();
  }

  @Test
  void publishNotReadyAddressesMakesEveryEndpointReady() {
    Service s =
        new ServiceBuilder(svc).editSpec().withPublishNotReadyAddresses(true).endSpec().build();
    SlicePlan p = plan(s, pods(0, 50, "web"), List.of(), 100);
    assertThat(sizes(p.creates())).containsExactly(50);
    assertThat(p.creates().getFirst().getEndpoints()).allMatch(e -> e.getConditions().getReady());
  }

  @Test
  void twoHundredFiftyPodsMakeThreeSlices() {
    SlicePlan p = plan(svc, pods(0, 250, "web"), List.of(), 100);
    assertThat(sizes(p.creates())).containsExactly(100, 100, 50);
    assertThat(p.updates()).isEmpty();
  }

  @Test
  void newEndpointsFillANewSliceThenTheSliceClosestToFull() {
    List<EndpointSlice> existing =
        List.of(
            sliceOf(svc, pods(0, 62, "web"), "web-a"), sliceOf(svc, pods(62, 123, "web"), "web-b"));
    SlicePlan p = plan(svc, pods(0, 250, "web"), existing, 100);
    assertThat(p.creates()).hasSize(1);
    assertThat(p.updates()).hasSize(1);
    assertThat(sizes(apply(existing, p))).containsExactly(89, 61, 100);
  }

  @Test
  void leftoversThatFitNoSliceGetANewOneRatherThanSplitting() {
    List<EndpointSlice> existing =
        List.of(
            sliceOf(svc, pods(0, 74, "web"), "web-a"), sliceOf(svc, pods(74, 148, "web"), "web-b"));
    SlicePlan p = plan(svc, pods(0, 300, "web"), existing, 100);
    assertThat(p.creates()).hasSize(2);
    assertThat(p.updates()).isEmpty();
    assertThat(sizes(apply(existing, p))).containsExactly(74, 74, 100, 52);
  }

  @Test
  void targetPortChangeUpdatesEverySliceInPlace() {
    List<EndpointSlice> slices = apply(List.of(), plan(svc, pods(0, 250, "web"), List.of(), 100));
    Service changed = withTargetPort(svc, 9090);
    List<Pod> pods = pods(0, 250, "web");
    SlicePlan p = plan(changed, pods, slices, 100);
    assertThat(p.creates()).isEmpty();
    assertThat(p.deletes()).isEmpty();
    assertThat(p.updates()).hasSize(3);
    // the last create takes the first deleted slice's name (the upstream finalize order)
    assertThat(sizes(apply(slices, p))).containsExactlyInAnyOrder(100, 100, 50);
    assertThat(p.updates()).allMatch(s -> s.getPorts().getFirst().getPort() == 9090);
  }

  @Test
  void serviceLabelChangeUpdatesEverySliceButReservedKeysAreIgnored() {
    List<EndpointSlice> slices = apply(List.of(), plan(svc, pods(0, 250, "web"), List.of(), 100));
    Service labelled =
        new ServiceBuilder(svc).editMetadata().addToLabels("team", "a").endMetadata().build();
    SlicePlan p = plan(labelled, pods(0, 250, "web"), slices, 100);
    assertThat(p.updates())
        .hasSize(3)
        .allMatch(s -> "a".equals(s.getMetadata().getLabels().get("team")));
    Service reserved =
        new ServiceBuilder(svc)
            .editMetadata()
            .addToLabels("kubernetes.io/service-name", "other")
            .addToLabels("endpointslice.kubernetes.io/managed-by", "me")
            .endMetadata()
            .build();
    assertThat(plan(reserved, pods(0, 250, "web"), slices, 100).writes()).isZero();
  }

  @Test
  void noRepackingForItsOwnSakeButStaleGroupsAreRecycled() {
    List<EndpointSlice> slices = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      slices.add(sliceOf(svc, pods(i * 30, i * 30 + 30, "web"), "web-" + i));
    }
    assertThat(plan(svc, pods(0, 300, "web"), slices, 100).writes()).isZero();
    SlicePlan p = plan(withTargetPort(svc, 9090), pods(0, 300, "web"), slices, 100);
    assertThat(p.creates()).isEmpty();
    assertThat(p.updates()).hasSize(3);
    assertThat(p.deletes()).hasSize(7);
    assertThat(sizes(apply(slices, p))).containsExactly(100, 100, 100);
  }

  @Test
  void newPodsGoToTheFullerSliceAlreadyBeingUpdated() {
    List<EndpointSlice> slices =
        List.of(
            sliceOf(svc, pods(0, 80, "web"), "web-a"), sliceOf(svc, pods(80, 100, "web"), "web-b"));
    List<Pod> now = new ArrayList<>();
    for (Pod p : pods(0, 115, "web")) {
      int i = Integer.parseInt(p.getMetadata().getName().substring(4));
      now.add(i % 10 == 5 ? unready(p) : p);
    }
    SlicePlan p = plan(svc, now, slices, 100);
    assertThat(p.creates()).isEmpty();
    assertThat(p.updates()).hasSize(2);
    assertThat(sizes(apply(slices, p))).containsExactly(95, 20);
  }

  @Test
  void deprecatedIpAddressTypeSlicesAreReplaced() {
    List<EndpointSlice> slices = new ArrayList<>();
    for (EndpointSlice s :
        List.of(
            sliceOf(svc, pods(0, 100, "web"), "web-a"),
            sliceOf(svc, pods(100, 130, "web"), "web-b"))) {
      slices.add(new EndpointSliceBuilder(s).withAddressType("IP").build());
    }
    SlicePlan p = plan(svc, pods(0, 130, "web"), slices, 100);
    assertThat(p.deletes()).hasSize(2);
    assertThat(sizes(p.creates())).containsExactly(100, 30);
  }

  @Test
  void namedTargetPortsResolvingDifferentlyGroupPodsIntoSlicesPerNumber() {
    Service named =
        new ServiceBuilder(svc)
            .editSpec()
            .editFirstPort()
            .withName(null)
            .withTargetPort(new IntOrString("http"))
            .endPort()
            .endSpec()
            .build();
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Pod p = Fixtures.pod(i, "web");
      p.getSpec().getContainers().getFirst().getPorts().getFirst().setContainerPort(8080 + i % 5);
      pods.add(p);
    }
    SlicePlan p = plan(named, pods, List.of(), 100);
    assertThat(sizes(p.creates())).containsExactly(60, 60, 60, 60, 60);
    assertThat(p.creates())
        .allMatch(s -> s.getPorts().size() == 1 && s.getPorts().getFirst().getName().isEmpty());
    assertThat(p.creates())
        .extracting(s -> s.getPorts().getFirst().getPort())
        .containsExactlyInAnyOrder(8080, 8081, 8082, 8083, 8084);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"50|50,50,50,50,50", "80|80,80,80,10", "150|150,100", "250|250", "500|250"})
  void maxEndpointsPerSliceIsHonoured(int max, String expected) {
    List<Integer> want =
        java.util.Arrays.stream(expected.split(",")).map(Integer::valueOf).toList();
    assertThat(sizes(plan(svc, pods(0, 250, "web"), List.of(), max).creates()))
        .containsExactlyElementsOf(want);
  }

  @Test
  void endpointConditionsFollowReadinessAndTermination() {
    Pod ready = Fixtures.pod(1, "web");
    Pod notReady = Fixtures.pod(3, "web");
    Pod terminating =
        new PodBuilder(Fixtures.pod(2, "web"))
            .editMetadata()
            .withDeletionTimestamp("2026-01-01T00:00:30Z")
            .endMetadata()
            .build();
    Pod failed =
        new PodBuilder(Fixtures.pod(4, "web")).editStatus().withPhase("Failed").endStatus().build();
    var eps =
        plan(svc, List.of(ready, terminating, notReady, failed), List.of(), 100)
            .creates()
            .getFirst()
            .getEndpoints();
    assertThat(eps)
        .extracting(
            e ->
                e.getAddresses().getFirst()
                    + " "
                    + e.getConditions().getReady()
                    + " "
                    + e.getConditions().getServing()
                    + " "
                    + e.getConditions().getTerminating())
        .containsExactly(
            "10.0.0.2 true true false", "10.0.0.3 false true true", "10.0.0.4 false false false");
    assertThat(eps.getFirst().getZone()).isEqualTo("zone-a");
    assertThat(eps.getFirst().getNodeName()).isEqualTo("node-1");
    assertThat(eps.getFirst().getTargetRef().getName()).isEqualTo("web-00001");
  }

  @Test
  void hostnameOnlyWhenSubdomainIsTheService() {
    Pod p =
        new PodBuilder(Fixtures.pod(1, "web"))
            .editSpec()
            .withHostname("web-0")
            .withSubdomain("web")
            .endSpec()
            .build();
    Pod other =
        new PodBuilder(Fixtures.pod(2, "web"))
            .editSpec()
            .withHostname("x")
            .withSubdomain("elsewhere")
            .endSpec()
            .build();
    var eps = plan(svc, List.of(p, other), List.of(), 100).creates().getFirst().getEndpoints();
    assertThat(eps.get(0).getHostname()).isEqualTo("web-0");
    assertThat(eps.get(1).getHostname()).isNull();
  }

  @Test
  void headlessServicesAreLabelledAndPreferCloseAddsZoneHints() {
    Service headless =
        new ServiceBuilder(svc)
            .editSpec()
            .withClusterIP("None")
            .withTrafficDistribution("PreferClose")
            .endSpec()
            .build();
    EndpointSlice s = plan(headless, pods(1, 3, "web"), List.of(), 100).creates().getFirst();
    assertThat(s.getMetadata().getLabels()).containsEntry("service.kubernetes.io/headless", "");
    assertThat(s.getEndpoints())
        .allMatch(e -> e.getHints().getForZones().getFirst().getName().equals("zone-a"));
  }

  @Test
  void dualStackServicesGetASlicePerFamily() {
    Service dual =
        new ServiceBuilder(svc).editSpec().withIpFamilies("IPv4", "IPv6").endSpec().build();
    Pod p =
        new PodBuilder(Fixtures.pod(1, "web"))
            .editStatus()
            .addNewPodIP()
            .withIp("10.0.0.2")
            .endPodIP()
            .addNewPodIP()
            .withIp("fd00::2")
            .endPodIP()
            .endStatus()
            .build();
    SlicePlan plan = plan(dual, List.of(p), List.of(), 100);
    assertThat(plan.creates())
        .extracting(EndpointSlice::getAddressType)
        .containsExactly("IPv4", "IPv6");
    assertThat(plan.creates().get(1).getEndpoints().getFirst().getAddresses())
        .containsExactly("fd00::2");
  }

  private static Service withTargetPort(Service s, int port) {
    return new ServiceBuilder(s)
        .editSpec()
        .editFirstPort()
        .withTargetPort(new IntOrString(port))
        .endPort()
        .endSpec()
        .build();
  }

  private static Pod unready(Pod p) {
    return new PodBuilder(p)
        .editStatus()
        .editFirstCondition()
        .withStatus("False")
        .endCondition()
        .endStatus()
        .build();
  }
}
