package dev.podpath.kube.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointsPlannerTest {

  private final Service svc = Fixtures.service("web");

  @Test
  void readyAndNotReadyAddressesSortedByIpText() {
    List<Pod> pods = Fixtures.pods(0, 12, "web");
    EndpointsPlanner.Plan p = EndpointsPlanner.plan(svc, pods, null, null);
    assertThat(p.action()).isEqualTo(EndpointsPlanner.Action.CREATE);
    EndpointSubset s = p.endpoints().getSubsets().getFirst();
    assertThat(s.getAddresses())
        .extracting(EndpointAddress::getIp)
        .startsWith("10.0.0.11", "10.0.0.12", "10.0.0.2");
    assertThat(s.getNotReadyAddresses()).hasSize(4);
    assertThat(s.getPorts().getFirst().getPort()).isEqualTo(8080);
    assertThat(p.endpoints().getMetadata().getName()).isEqualTo("web");
  }

  @Test
  void terminatingPodsAreLeftOutUnlessPublishNotReady() {
    Pod t =
        new PodBuilder(Fixtures.pod(1, "web"))
            .editMetadata()
            .withDeletionTimestamp("2026-01-01T00:00:30Z")
            .endMetadata()
            .build();
    assertThat(EndpointsPlanner.plan(svc, List.of(t), null, null).endpoints().getSubsets())
        .isEmpty();
    Service pnr =
        new ServiceBuilder(svc).editSpec().withPublishNotReadyAddresses(true).endSpec().build();
    assertThat(
            EndpointsPlanner.plan(pnr, List.of(t), null, null)
                .endpoints()
                .getSubsets()
                .getFirst()
                .getAddresses())
        .hasSize(1);
  }

  @Test
  void unchangedEndpointsAreNotRewritten() {
    EndpointsPlanner.Plan first =
        EndpointsPlanner.plan(svc, Fixtures.pods(0, 5, "web"), null, "2026-01-01T00:00:00Z");
    Endpoints stored = dev.podpath.kube.io.Json.copy(first.endpoints());
    assertThat(EndpointsPlanner.plan(svc, Fixtures.pods(0, 5, "web"), stored, null).action())
        .isEqualTo(EndpointsPlanner.Action.NONE);
  }

  @Test
  void overCapacityIsTruncatedAndAnnotated() {
    EndpointsPlanner.Plan p = EndpointsPlanner.plan(svc, readyPods(1200), null, null);
    assertThat(p.endpoints().getSubsets().getFirst().getAddresses()).hasSize(1000);
    assertThat(p.endpoints().getMetadata().getAnnotations())
        .containsEntry("endpoints.kubernetes.io/over-capacity", "truncated");
  }

  @Test
  void truncationKeepsReadyAndSharesTheRestOverNotReady() {
    List<EndpointSubset> subsets = new ArrayList<>();
    subsets.add(new EndpointSubset(addresses(600, 0), addresses(600, 1000), null));
    assertThat(EndpointsPlanner.truncate(subsets)).isTrue();
    assertThat(subsets.getFirst().getAddresses()).hasSize(600);
    assertThat(subsets.getFirst().getNotReadyAddresses()).hasSize(400);
  }

  private static List<Pod> readyPods(int n) {
    List<Pod> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Pod p = Fixtures.pod(i, "web");
      p.getStatus().getConditions().getFirst().setStatus("True");
      out.add(p);
    }
    return out;
  }

  private static List<EndpointAddress> addresses(int n, int offset) {
    List<EndpointAddress> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int v = i + offset;
      out.add(
          new EndpointAddressBuilder().withIp("10.1." + (v / 250) + "." + (v % 250 + 1)).build());
    }
    return out;
  }
}
