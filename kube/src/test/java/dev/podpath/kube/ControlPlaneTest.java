package dev.podpath.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.kube.io.ManifestException;
import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.shape.ClusterShape;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlPlaneTest {

  static final String WEB =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, labels: {app: web}}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: web
              image: nginx:1.27
              ports: [{name: http, containerPort: 8080}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: http}]
      """;

  private final ControlPlane cp = ControlPlane.start(ClusterShape.defaults());

  private List<Pod> pods(String selector) {
    return cp.list(
        Pod.class, "default", LabelSelectors.parse(selector), FieldSelector.everything());
  }

  private List<EndpointSlice> slices(String service) {
    return cp.list(
        EndpointSlice.class,
        "default",
        LabelSelectors.parse("kubernetes.io/service-name=" + service),
        FieldSelector.everything());
  }

  @Test
  void freshClusterHasNodesWithPodCidrsAndTheKubernetesService() {
    List<Node> nodes = cp.list(Node.class, null, Selector.everything(), FieldSelector.everything());
    assertThat(nodes)
        .extracting(n -> n.getMetadata().getName() + " " + n.getSpec().getPodCIDR())
        .containsExactly(
            "control-plane 10.244.0.0/24", "worker 10.244.1.0/24", "worker2 10.244.2.0/24");
    Service k = cp.get(Service.class, "default", "kubernetes").orElseThrow();
    assertThat(k.getSpec().getClusterIP()).isEqualTo("10.96.0.1");
    assertThat(slices("kubernetes"))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getMetadata().getName()).isEqualTo("kubernetes");
              assertThat(s.getEndpoints().getFirst().getAddresses()).containsExactly("172.18.0.2");
              assertThat(s.getPorts().getFirst().getPort()).isEqualTo(6443);
            });
  }

  @Test
  void deploymentAndServiceGiveRunningPodsAndEndpointSlices() {
    List<String> out = cp.apply(ManifestReader.parse("web.yaml", WEB));
    assertThat(out).containsExactly("deployment.apps/web created", "service/web created");
    List<Pod> pods = pods("app=web");
    assertThat(pods)
        .hasSize(3)
        .allSatisfy(
            p -> {
              assertThat(p.getStatus().getPhase()).isEqualTo("Running");
              assertThat(p.getStatus().getPodIP()).startsWith("10.244.");
              assertThat(p.getSpec().getNodeName()).isIn("worker", "worker2");
              assertThat(p.getMetadata().getLabels()).containsKey("pod-template-hash");
            });
    EndpointSlice slice = slices("web").getFirst();
    assertThat(slice.getMetadata().getName()).startsWith("web-");
    assertThat(slice.getEndpoints()).hasSize(3).allMatch(e -> e.getConditions().getReady());
    assertThat(slice.getPorts().getFirst().getPort()).isEqualTo(8080);
    assertThat(slice.getPorts().getFirst().getName()).isEqualTo("http");
    Endpoints ep = cp.get(Endpoints.class, "default", "web").orElseThrow();
    assertThat(ep.getSubsets().getFirst().getAddresses()).hasSize(3);
    assertThat(cp.rolloutComplete("default", "web")).isTrue();
    assertThat(cp.apply(ManifestReader.parse("web.yaml", WEB)))
        .containsExactly("deployment.apps/web unchanged", "service/web unchanged");
  }

  @Test
  void rollingUpdateReplacesEveryPodAndOldOnesTerminateAfterTheirGracePeriod() {
    cp.apply(ManifestReader.parse("web.yaml", WEB));
    cp.apply(ManifestReader.parse("web2.yaml", WEB.replace("nginx:1.27", "nginx:1.28")));
    assertThat(cp.rolloutComplete("default", "web")).isTrue();
    List<ReplicaSet> sets =
        cp.list(ReplicaSet.class, "default", Selector.everything(), FieldSelector.everything());
    assertThat(sets).hasSize(2);
    List<Pod> all = pods("app=web");
    assertThat(all.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null))
        .hasSize(3)
        .allMatch(p -> p.getSpec().getContainers().getFirst().getImage().equals("nginx:1.28"));
    assertThat(all.stream().filter(p -> p.getMetadata().getDeletionTimestamp() != null)).hasSize(3);
    assertThat(slices("web").getFirst().getEndpoints())
        .hasSize(6)
        .filteredOn(e -> e.getConditions().getTerminating())
        .hasSize(3);
    cp.advance(Duration.ofSeconds(30));
    assertThat(pods("app=web")).hasSize(3);
    assertThat(slices("web").getFirst().getEndpoints()).hasSize(3);
  }

  @Test
  void scaleAndLabel() {
    cp.apply(ManifestReader.parse("web.yaml", WEB));
    cp.scale(Kind.DEPLOYMENT, "default", "web", 5);
    assertThat(pods("app=web")).hasSize(5);
    Pod first = pods("app=web").getFirst();
    cp.label(Kind.POD, "default", first.getMetadata().getName(), List.of("app=other"), true);
    // the ReplicaSet's selector no longer matches it: released (no controller reference) and
    // replaced; the Service no longer selects it either
    Pod released = cp.get(Pod.class, "default", first.getMetadata().getName()).orElseThrow();
    assertThat(released.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(pods("app=web")).hasSize(5).doesNotContain(released);
    assertThat(slices("web").getFirst().getEndpoints())
        .hasSize(5)
        .noneMatch(e -> e.getTargetRef().getName().equals(first.getMetadata().getName()));
  }

  @Test
  void invalidApplyChangesNothingAndNamesFileAndLine() {
    String bad =
        WEB
            + "---\napiVersion: v1\nkind: Service\nmetadata: {name: bad}\n"
            + "spec:\n  ports: [{port: 70000}]\n";
    long rv = cp.store().resourceVersion();
    assertThatThrownBy(() -> cp.apply(ManifestReader.parse("bad.yaml", bad)))
        .isInstanceOf(ManifestException.class)
        .hasMessage(
            "bad.yaml:22: The Service \"bad\" is invalid: spec.ports[0].port:"
                + " Invalid value: 70000: must be between 1 and 65535, inclusive");
    assertThat(cp.store().resourceVersion()).isEqualTo(rv);
  }

  @Test
  void unschedulablePodStaysPendingWithTheSchedulersReason() {
    cp.apply(
        ManifestReader.parse(
            "p.yaml",
            """
        apiVersion: v1
        kind: Pod
        metadata: {name: picky}
        spec:
          nodeSelector: {disktype: ssd}
          containers: [{name: c, image: busybox}]
        """));
    Pod p = cp.get(Pod.class, "default", "picky").orElseThrow();
    assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(p.getStatus().getConditions().getFirst().getMessage())
        .isEqualTo(
            "0/3 nodes are available: 1 node(s) had untolerated taint"
                + " {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node"
                + " affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not"
                + " helpful for scheduling.");
    cp.label(Kind.NODE, "", "worker2", List.of("disktype=ssd"), false);
    assertThat(cp.get(Pod.class, "default", "picky").orElseThrow().getSpec().getNodeName())
        .isEqualTo("worker2");
  }

  @Test
  void statefulSetGetsOrdinalsHostnamesAndClaimsThatSurviveScaleDown() {
    cp.apply(
        ManifestReader.parse(
            "db.yaml",
            """
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec:
          clusterIP: None
          selector: {app: db}
          ports: [{port: 5432}]
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 3
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers: [{name: pg, image: postgres, ports: [{containerPort: 5432}]}]
          volumeClaimTemplates:
          - metadata: {name: data}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """));
    assertThat(pods("app=db"))
        .extracting(
            p ->
                p.getMetadata().getName()
                    + " "
                    + p.getSpec().getHostname()
                    + "."
                    + p.getSpec().getSubdomain())
        .containsExactly("db-0 db-0.db", "db-1 db-1.db", "db-2 db-2.db");
    assertThat(slices("db").getFirst().getEndpoints())
        .extracting(e -> e.getHostname())
        .containsExactlyInAnyOrder("db-0", "db-1", "db-2");
    cp.scale(Kind.STATEFUL_SET, "default", "db", 1);
    cp.advance(Duration.ofSeconds(30));
    cp.advance(Duration.ofSeconds(30));
    assertThat(pods("app=db")).extracting(p -> p.getMetadata().getName()).containsExactly("db-0");
    assertThat(
            cp.list(
                PersistentVolumeClaim.class,
                "default",
                Selector.everything(),
                FieldSelector.everything()))
        .extracting(c -> c.getMetadata().getName())
        .containsExactly("data-db-0", "data-db-1", "data-db-2");
  }

  @Test
  void daemonSetRunsOnEveryNodeItTolerates() {
    cp.apply(
        ManifestReader.parse(
            "ds.yaml",
            """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: kube-system}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: a, image: agent}]
        """));
    List<Pod> pods =
        cp.list(
            Pod.class,
            "kube-system",
            LabelSelectors.parse("app=agent"),
            FieldSelector.everything());
    assertThat(pods)
        .extracting(p -> p.getSpec().getNodeName())
        .containsExactlyInAnyOrder("worker", "worker2");
  }

  @Test
  void deletingAServiceRemovesItsSlicesAndEndpoints() {
    cp.apply(ManifestReader.parse("web.yaml", WEB));
    cp.delete(Kind.SERVICE, "default", "web", null);
    assertThat(slices("web")).isEmpty();
    assertThat(cp.get(Endpoints.class, "default", "web")).isEmpty();
  }

  @Test
  void selectorlessServiceWithEndpointsIsMirrored() {
    cp.apply(
        ManifestReader.parse(
            "ext.yaml",
            """
        apiVersion: v1
        kind: Service
        metadata: {name: example-custom-endpoints}
        spec:
          ports: [{port: 80}]
        ---
        apiVersion: v1
        kind: Endpoints
        metadata: {name: example-custom-endpoints}
        subsets:
        - addresses: [{ip: 10.1.2.3}]
          ports: [{port: 80}]
        """));
    assertThat(slices("example-custom-endpoints"))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getEndpoints().getFirst().getAddresses()).containsExactly("10.1.2.3");
              assertThat(s.getMetadata().getLabels().get("endpointslice.kubernetes.io/managed-by"))
                  .isEqualTo("endpointslicemirroring-controller.k8s.io");
            });
  }
}
