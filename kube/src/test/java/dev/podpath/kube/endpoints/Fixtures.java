package dev.podpath.kube.endpoints;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builders for endpoint controller tests: a Service, pods with IPs, a node, slice stores. */
final class Fixtures {

  private Fixtures() {}

  static Service service(String name) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .withUid("svc-uid-" + name)
        .endMetadata()
        .withNewSpec()
        .withClusterIP("10.96.0.10")
        .withIpFamilies("IPv4")
        .addToSelector("app", name)
        .addNewPort()
        .withName("http")
        .withPort(80)
        .withProtocol("TCP")
        .withTargetPort(new IntOrString(8080))
        .endPort()
        .endSpec()
        .build();
  }

  /** Pod i: IP 10.0.(i/250).(i%250+1), on node-1, every third not ready (as upstream's tests). */
  static Pod pod(int i, String app) {
    boolean ready = i % 3 != 0;
    return new PodBuilder()
        .withNewMetadata()
        .withName(app + "-" + String.format("%05d", i))
        .withNamespace("default")
        .withUid("pod-uid-" + i)
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-1")
        .addNewContainer()
        .withName("c")
        .addNewPort()
        .withName("http")
        .withContainerPort(8080)
        .endPort()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP("10.0." + (i / 250) + "." + (i % 250 + 1))
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  static List<Pod> pods(int from, int to, String app) {
    List<Pod> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(pod(i, app));
    }
    return out;
  }

  static Map<String, Node> nodes() {
    return Map.of(
        "node-1",
        new NodeBuilder()
            .withNewMetadata()
            .withName("node-1")
            .addToLabels("topology.kubernetes.io/zone", "zone-a")
            .endMetadata()
            .build());
  }

  static SlicePlan plan(Service svc, List<Pod> pods, List<EndpointSlice> existing, int max) {
    return EndpointSlicePlanner.plan(
        new EndpointSlicePlanner.Input(svc, pods, nodes(), existing, max, null));
  }

  /** A stored slice holding exactly these pods' endpoints. */
  static EndpointSlice sliceOf(Service svc, List<Pod> pods, String name) {
    SlicePlan p = plan(svc, pods, List.of(), 1000);
    return new EndpointSliceBuilder(p.creates().getFirst())
        .editMetadata()
        .withName(name)
        .withGenerateName(null)
        .withResourceVersion("1")
        .endMetadata()
        .build();
  }

  /** The slices after applying a plan to {@code existing}; creates are named svc-cN. */
  static List<EndpointSlice> apply(List<EndpointSlice> existing, SlicePlan plan) {
    List<EndpointSlice> out = new ArrayList<>();
    for (EndpointSlice s : existing) {
      if (plan.deletes().stream()
          .anyMatch(d -> d.getMetadata().getName().equals(s.getMetadata().getName()))) {
        continue;
      }
      out.add(
          plan.updates().stream()
              .filter(u -> u.getMetadata().getName().equals(s.getMetadata().getName()))
              .findFirst()
              .orElse(s));
    }
    int n = 0;
    for (EndpointSlice c : plan.creates()) {
      out.add(
          new EndpointSliceBuilder(c)
              .editMetadata()
              .withName(c.getMetadata().getGenerateName() + "c" + (n++))
              .withGenerateName(null)
              .endMetadata()
              .build());
    }
    return out;
  }

  static List<Integer> sizes(List<EndpointSlice> slices) {
    return slices.stream().map(s -> s.getEndpoints().size()).toList();
  }
}
