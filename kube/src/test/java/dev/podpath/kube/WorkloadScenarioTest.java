package dev.podpath.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.kube.store.ApiException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkloadScenarioTest {

  private final ControlPlane cp = ControlPlane.start(ClusterShape.defaults());

  private List<Pod> pods(String ns, String selector) {
    return cp.list(Pod.class, ns, LabelSelectors.parse(selector), FieldSelector.everything());
  }

  private static String sts(String image, int partition) {
    return """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 3
          updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: %d}}
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              terminationGracePeriodSeconds: 5
              containers: [{name: pg, image: %s}]
        """
        .formatted(partition, image);
  }

  @Test
  void statefulSetRollsFromTheHighestOrdinalDownToThePartition() {
    cp.apply(ManifestReader.parse("db.yaml", sts("pg:16", 1)));
    cp.apply(ManifestReader.parse("db.yaml", sts("pg:17", 1)));
    for (int i = 0; i < 6; i++) {
      cp.advance(Duration.ofSeconds(5));
    }
    assertThat(pods("default", "app=db"))
        .extracting(
            p ->
                p.getMetadata().getName() + " " + p.getSpec().getContainers().getFirst().getImage())
        .containsExactly("db-0 pg:16", "db-1 pg:17", "db-2 pg:17");
    StatefulSet s = cp.get(StatefulSet.class, "default", "db").orElseThrow();
    assertThat(s.getStatus().getUpdatedReplicas()).isEqualTo(2);
    assertThat(s.getStatus().getCurrentRevision()).isNotEqualTo(s.getStatus().getUpdateRevision());
  }

  @Test
  void orderedReadyCreatesOneOrdinalAfterAnother() {
    List<String> order = new java.util.ArrayList<>();
    cp.watch(
        "t",
        Kind.POD,
        "default",
        Selector.everything(),
        Optional.empty(),
        e -> {
          if (e.type() == dev.podpath.kube.store.WatchEvent.Type.ADDED) {
            order.add(e.object().getMetadata().getName());
          }
        });
    cp.apply(ManifestReader.parse("db.yaml", sts("pg:16", 0)));
    assertThat(order).containsExactly("db-0", "db-1", "db-2");
  }

  @Test
  void recreateStrategyScalesOldToZeroBeforeNew() {
    String d =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api}
        spec:
          replicas: 2
          strategy: {type: Recreate}
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: api, image: IMAGE}]}
        """;
    cp.apply(ManifestReader.parse("api.yaml", d.replace("IMAGE", "api:1")));
    cp.apply(ManifestReader.parse("api.yaml", d.replace("IMAGE", "api:2")));
    cp.advance(Duration.ofSeconds(30));
    cp.advance(Duration.ofSeconds(1));
    assertThat(pods("default", "app=api"))
        .hasSize(2)
        .allMatch(p -> p.getSpec().getContainers().getFirst().getImage().equals("api:2"));
    assertThat(cp.rolloutComplete("default", "api")).isTrue();
    assertThat(
            cp.list(ReplicaSet.class, "default", Selector.everything(), FieldSelector.everything()))
        .extracting(rs -> rs.getSpec().getReplicas())
        .containsExactlyInAnyOrder(0, 2);
  }

  @Test
  void deletingANamespaceDeletesWhatItHolds() {
    cp.apply(
        ManifestReader.parse(
            "x.yaml",
            """
        apiVersion: v1
        kind: Namespace
        metadata: {name: team}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: s, namespace: team}
        spec: {selector: {app: s}, ports: [{port: 80}]}
        """));
    assertThat(
            cp.list(EndpointSlice.class, "team", Selector.everything(), FieldSelector.everything()))
        .hasSize(1);
    cp.delete(Kind.NAMESPACE, "", "team", null);
    assertThat(
            cp.list(EndpointSlice.class, "team", Selector.everything(), FieldSelector.everything()))
        .isEmpty();
  }

  @Test
  void nodePortOutOfRangeAndLabelWithoutOverwriteAreRefused() {
    assertThatThrownBy(
            () ->
                cp.apply(
                    ManifestReader.parse(
                        "np.yaml",
                        """
        apiVersion: v1
        kind: Service
        metadata: {name: np}
        spec: {type: NodePort, selector: {app: x}, ports: [{port: 80, nodePort: 80}]}
        """)))
        .hasMessage(
            "np.yaml:1: Error from server (Invalid): Service \"np\" is invalid:"
                + " spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid"
                + " range. The range of valid ports is 30000-32767");
    assertThatThrownBy(
            () -> cp.label(Kind.NODE, "", "worker", List.of("kubernetes.io/os=windows"), false))
        .isInstanceOf(ApiException.class)
        .hasMessage("'kubernetes.io/os' already has a value (linux), and --overwrite is false");
  }

  @Test
  void watchFromAForgottenResourceVersionIsExpired() {
    var store = new dev.podpath.kube.store.ApiStore(new dev.podpath.net.VirtualClock(), 1, 2);
    for (String n : List.of("a", "b", "c", "d")) {
      store.create(
          new io.fabric8.kubernetes.api.model.NamespaceBuilder()
              .withNewMetadata()
              .withName(n)
              .endMetadata()
              .build());
    }
    assertThatThrownBy(
            () ->
                store.watch(
                    "t",
                    Kind.NAMESPACE,
                    null,
                    Selector.everything(),
                    FieldSelector.everything(),
                    Optional.of(1L),
                    e -> {}))
        .hasMessage("too old resource version: 1 (2)");
  }
}
