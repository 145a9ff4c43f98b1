package dev.podpath.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.print.OutputFormat;
import dev.podpath.kube.print.Printer;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.kube.workload.Rollouts;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adoption, Deployment history and rollback, ControllerRevisions: scenarios from manifests. */
class HistoryScenarioTest {

  private final ControlPlane cp = ControlPlane.start(ClusterShape.defaults());

  private <T extends HasMetadata> List<T> all(Class<T> type, String selector) {
    return cp.list(type, "default", LabelSelectors.parse(selector), FieldSelector.everything());
  }

  private static String deployment(String image, String cause) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          annotations: {kubernetes.io/change-cause: "%s"}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 1
              containers: [{name: nginx, image: "%s"}]
        """
        .formatted(cause, image);
  }

  private String revisionOf(String image) {
    return all(ReplicaSet.class, "app=web").stream()
        .filter(
            rs ->
                rs.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .getFirst()
                    .getImage()
                    .equals(image))
        .findFirst()
        .orElseThrow()
        .getMetadata()
        .getAnnotations()
        .get("deployment.kubernetes.io/revision");
  }

  @Test
  void aReplicaSetAdoptsAMatchingOrphanPodAndCountsIt() {
    cp.apply(
        ManifestReader.parse(
            "orphan.yaml",
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: stray, labels: {app: cache}}
            spec: {containers: [{name: c, image: redis}]}
            """));
    cp.apply(
        ManifestReader.parse(
            "rs.yaml",
            """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: cache}
            spec:
              replicas: 2
              selector: {matchLabels: {app: cache}}
              template:
                metadata: {labels: {app: cache}}
                spec: {containers: [{name: c, image: redis}]}
            """));
    List<Pod> pods = all(Pod.class, "app=cache");
    assertThat(pods).hasSize(2); // the stray pod and one new one
    Pod stray = cp.get(Pod.class, "default", "stray").orElseThrow();
    ReplicaSet rs = cp.get(ReplicaSet.class, "default", "cache").orElseThrow();
    assertThat(stray.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getUid()).isEqualTo(rs.getMetadata().getUid());
              assertThat(r.getController()).isTrue();
              assertThat(r.getBlockOwnerDeletion()).isTrue();
            });
    assertThat(rs.getStatus().getReplicas()).isEqualTo(2);
  }

  @Test
  void aDeploymentAdoptsAnOrphanReplicaSetWithItsTemplateInsteadOfCreatingOne() {
    cp.apply(ManifestReader.parse("web.yaml", deployment("nginx:1.27", "v1")));
    ReplicaSet rs = all(ReplicaSet.class, "app=web").getFirst();
    String name = rs.getMetadata().getName();
    cp.delete(Kind.DEPLOYMENT, "default", "web", null);
    // the garbage collector deletes dependents; recreate the set as an orphan from its dump
    assertThat(all(ReplicaSet.class, "app=web")).isEmpty();
    ReplicaSet orphan = dev.podpath.kube.io.Json.copy(rs);
    orphan.getMetadata().setOwnerReferences(List.of());
    orphan.getMetadata().setResourceVersion(null);
    orphan.getMetadata().setUid(null);
    orphan.setStatus(null);
    cp.store().create(orphan);
    cp.settle();
    assertThat(
            cp.get(ReplicaSet.class, "default", name)
                .orElseThrow()
                .getMetadata()
                .getOwnerReferences())
        .isEmpty();
    cp.apply(ManifestReader.parse("web.yaml", deployment("nginx:1.27", "v1")));
    List<ReplicaSet> sets = all(ReplicaSet.class, "app=web");
    assertThat(sets).extracting(s -> s.getMetadata().getName()).containsExactly(name);
    Deployment d = cp.get(Deployment.class, "default", "web").orElseThrow();
    assertThat(sets.getFirst().getMetadata().getOwnerReferences().getFirst().getUid())
        .isEqualTo(d.getMetadata().getUid());
    assertThat(cp.rolloutComplete("default", "web")).isTrue();
  }

  @Test
  void rolloutUndoRestoresThePreviousTemplateAsANewRevision() {
    cp.apply(ManifestReader.parse("web.yaml", deployment("nginx:1.27", "first")));
    cp.apply(ManifestReader.parse("web.yaml", deployment("nginx:1.28", "second")));
    cp.advance(Duration.ofSeconds(2));
    assertThat(cp.rolloutHistory(Kind.DEPLOYMENT, "default", "web", 0))
        .isEqualTo("REVISION  CHANGE-CAUSE\n1         first\n2         second\n");
    Deployment d = cp.get(Deployment.class, "default", "web").orElseThrow();
    assertThat(d.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "2");

    assertThat(cp.rolloutUndo(Kind.DEPLOYMENT, "default", "web", 0)).isEqualTo("rolled back");
    cp.advance(Duration.ofSeconds(2));
    assertThat(all(Pod.class, "app=web"))
        .hasSize(2)
        .allMatch(p -> p.getSpec().getContainers().getFirst().getImage().equals("nginx:1.27"));
    assertThat(revisionOf("nginx:1.27")).isEqualTo("3");
    ReplicaSet back =
        all(ReplicaSet.class, "app=web").stream()
            .filter(
                rs ->
                    "3"
                        .equals(
                            rs.getMetadata()
                                .getAnnotations()
                                .get("deployment.kubernetes.io/revision")))
            .findFirst()
            .orElseThrow();
    assertThat(back.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision-history", "1");
    d = cp.get(Deployment.class, "default", "web").orElseThrow();
    assertThat(d.getMetadata().getAnnotations())
        .containsEntry("kubernetes.io/change-cause", "first")
        .containsEntry("deployment.kubernetes.io/revision", "3");
    assertThat(cp.rolloutHistory(Kind.DEPLOYMENT, "default", "web", 0))
        .isEqualTo("REVISION  CHANGE-CAUSE\n2         second\n3         first\n");
    assertThat(cp.rolloutUndo(Kind.DEPLOYMENT, "default", "web", 3))
        .isEqualTo("skipped rollback (current template already matches revision 3)");
    assertThat(cp.rolloutHistory(Kind.DEPLOYMENT, "default", "web", 2))
        .startsWith("Pod Template:\n  Labels:\tapp=web\n\tpod-template-hash=")
        .contains("  Annotations:\tkubernetes.io/change-cause: second\n")
        .contains("   nginx:\n    Image:\tnginx:1.28\n    Port:\t<none>\n    Host Port:\t<none>\n")
        .endsWith("  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n");
    assertThatThrownBy(() -> cp.rolloutUndo(Kind.DEPLOYMENT, "default", "web", 7))
        .isInstanceOf(Rollouts.RolloutException.class)
        .hasMessage("unable to find specified revision 7 in history");
    assertThatThrownBy(() -> cp.rolloutHistory(Kind.DEPLOYMENT, "default", "web", 7))
        .hasMessage("unable to find the specified revision");
  }

  @Test
  void aFreshDeploymentHasNoHistoryToUndo() {
    cp.apply(ManifestReader.parse("web.yaml", deployment("nginx:1.27", "first")));
    assertThatThrownBy(() -> cp.rolloutUndo(Kind.DEPLOYMENT, "default", "web", 0))
        .hasMessage("no rollout history found for deployment \"web\"");
  }

  @Test
  void revisionHistoryLimitKeepsOnlyThatManyOldReplicaSets() {
    String limited =
        deployment("nginx:1", "c").replace("replicas: 2", "replicas: 2\n  revisionHistoryLimit: 1");
    cp.apply(ManifestReader.parse("web.yaml", limited));
    for (String image : List.of("nginx:2", "nginx:3", "nginx:4")) {
      cp.apply(ManifestReader.parse("web.yaml", limited.replace("nginx:1", image)));
      cp.advance(Duration.ofSeconds(2));
    }
    assertThat(all(ReplicaSet.class, "app=web"))
        .extracting(
            rs -> rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))
        .containsExactlyInAnyOrder("3", "4");
  }

  private static String statefulSet(String image) {
    return """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 3
          podManagementPolicy: Parallel
          updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 2}}
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              terminationGracePeriodSeconds: 5
              containers: [{name: pg, image: "%s"}]
        """
        .formatted(image);
  }

  @Test
  void statefulSetHistoryIsControllerRevisionsAndMaxUnavailableRollsTwoAtATime() {
    cp.apply(ManifestReader.parse("db.yaml", statefulSet("pg:16")));
    cp.apply(ManifestReader.parse("db.yaml", statefulSet("pg:17")));
    List<ControllerRevision> revisions = all(ControllerRevision.class, "app=db");
    assertThat(revisions).hasSize(2);
    String table = Printer.print(revisions, OutputFormat.parse(""), false, cp.clock().now());
    String update =
        revisions.stream()
            .filter(r -> r.getRevision() == 2)
            .findFirst()
            .orElseThrow()
            .getMetadata()
            .getName();
    assertThat(table)
        .startsWith("NAME ")
        .contains("CONTROLLER", "REVISION")
        .contains("statefulset.apps/db")
        .contains(update);
    // maxUnavailable 2: db-2 and db-1 terminate together, db-0 waits
    assertThat(all(Pod.class, "app=db"))
        .filteredOn(p -> p.getMetadata().getDeletionTimestamp() != null)
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("db-1", "db-2");
    cp.advance(Duration.ofSeconds(5));
    cp.advance(Duration.ofSeconds(5));
    assertThat(all(Pod.class, "app=db"))
        .hasSize(3)
        .allMatch(p -> p.getMetadata().getLabels().get("controller-revision-hash").equals(update));
    // undo: revision 1's template comes back as revision 3
    assertThat(cp.rolloutUndo(Kind.STATEFUL_SET, "default", "db", 0)).isEqualTo("rolled back");
    assertThat(all(ControllerRevision.class, "app=db"))
        .extracting(ControllerRevision::getRevision)
        .containsExactlyInAnyOrder(2L, 3L);
    assertThat(cp.rolloutHistory(Kind.STATEFUL_SET, "default", "db", 0))
        .isEqualTo("REVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n");
  }

  private static String daemonSet(String image, String strategy) {
    return """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          updateStrategy: {type: RollingUpdate, rollingUpdate: %s}
          template:
            metadata: {labels: {app: agent}}
            spec:
              terminationGracePeriodSeconds: 10
              containers: [{name: a, image: "%s"}]
        """
        .formatted(strategy, image);
  }

  private List<String> agents() {
    return all(Pod.class, "app=agent").stream()
        .map(
            p ->
                p.getSpec().getNodeName()
                    + " "
                    + p.getSpec().getContainers().getFirst().getImage()
                    + (p.getMetadata().getDeletionTimestamp() == null ? "" : " terminating"))
        .sorted()
        .toList();
  }

  @Test
  void daemonSetWithMaxSurgeStartsTheNewPodBeforeTheOldOneGoes() {
    String strategy = "{maxSurge: 1, maxUnavailable: 0}";
    cp.apply(ManifestReader.parse("agent.yaml", daemonSet("a:1", strategy)));
    assertThat(agents()).containsExactly("worker a:1", "worker2 a:1");
    cp.apply(ManifestReader.parse("agent.yaml", daemonSet("a:2", strategy)));
    // the instant kubelet makes each new pod ready at once, so node after node surges
    assertThat(agents())
        .containsExactly(
            "worker a:1 terminating", "worker a:2", "worker2 a:1 terminating", "worker2 a:2");
    assertThat(all(Pod.class, "app=agent"))
        .allMatch(p -> p.getMetadata().getLabels().containsKey("controller-revision-hash"));
    assertThat(all(ControllerRevision.class, "app=agent")).hasSize(2);
  }

  @Test
  void daemonSetWithoutSurgeReplacesANodeOnlyOnceItsOldPodIsGone() {
    String strategy = "{maxUnavailable: 1}";
    cp.apply(ManifestReader.parse("agent.yaml", daemonSet("a:1", strategy)));
    cp.apply(ManifestReader.parse("agent.yaml", daemonSet("a:2", strategy)));
    assertThat(agents()).containsExactly("worker a:1 terminating", "worker2 a:1");
    cp.advance(Duration.ofSeconds(10));
    assertThat(agents()).containsExactly("worker a:2", "worker2 a:1 terminating");
    cp.advance(Duration.ofSeconds(10));
    assertThat(agents()).containsExactly("worker a:2", "worker2 a:2");
    assertThat(cp.rolloutUndo(Kind.DAEMON_SET, "default", "agent", 0)).isEqualTo("rolled back");
    assertThat(agents()).containsExactly("worker a:2 terminating", "worker2 a:2");
  }

  @Test
  void daemonSetsAndStatefulSetsAdoptMatchingOrphansToo() {
    cp.apply(
        ManifestReader.parse(
            "orphans.yaml",
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: stray-agent, labels: {app: agent}}
            spec: {nodeName: worker, containers: [{name: a, image: "a:1"}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db-0, labels: {app: db}}
            spec: {containers: [{name: pg, image: "pg:16"}]}
            """));
    cp.apply(ManifestReader.parse("agent.yaml", daemonSet("a:1", "{maxUnavailable: 1}")));
    // adopted for worker (no second pod there), but wearing no revision it is out of date, so
    // the rolling update replaces it as upstream's IsPodUpdated would
    assertThat(agents()).containsExactly("worker a:1 terminating", "worker2 a:1");
    assertThat(
            cp.get(Pod.class, "default", "stray-agent")
                .orElseThrow()
                .getMetadata()
                .getOwnerReferences())
        .singleElement()
        .satisfies(r -> assertThat(r.getKind()).isEqualTo("DaemonSet"));
    cp.advance(Duration.ofSeconds(30));
    assertThat(agents()).containsExactly("worker a:1", "worker2 a:1");
    assertThat(cp.get(Pod.class, "default", "stray-agent")).isEmpty();
    cp.apply(ManifestReader.parse("db.yaml", statefulSet("pg:16")));
    assertThat(
            cp.get(Pod.class, "default", "db-0").orElseThrow().getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(r -> assertThat(r.getKind()).isEqualTo("StatefulSet"));
  }

  @Test
  void unknownKindsHaveNoHistory() {
    assertThatThrownBy(() -> cp.rolloutHistory(Kind.POD, "default", "x", 0))
        .hasMessage("no history viewer has been implemented for \"Pod\"");
    assertThatThrownBy(() -> cp.rolloutUndo(Kind.DEPLOYMENT, "default", "nope", 0))
        .hasMessageContaining("\"nope\" not found");
  }
}
