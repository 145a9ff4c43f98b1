package dev.podpath.kube.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentPlannerTest {

  static Deployment deployment(int replicas, String image, String surge, String unavailable) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace("default")
        .withUid("d-uid")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(new IntOrString(surge))
        .withMaxUnavailable(new IntOrString(unavailable))
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** The set the planner would create, stored with {@code replicas} all available. */
  static ReplicaSet stored(Deployment d, int replicas, int available, int revision) {
    ReplicaSet rs = DeploymentPlanner.plan(d, List.of()).create().orElseThrow();
    return new ReplicaSetBuilder(rs)
        .editMetadata()
        .addToAnnotations(DeploymentPlanner.REVISION, String.valueOf(revision))
        .endMetadata()
        .editSpec()
        .withReplicas(replicas)
        .endSpec()
        .withNewStatus()
        .withReplicas(replicas)
        .withAvailableReplicas(available)
        .withReadyReplicas(available)
        .endStatus()
        .build();
  }

  @Test
  void firstRolloutCreatesTheNewSetAtFullSizeNamedByTheTemplateHash() {
    Deployment d = deployment(4, "v1", "25%", "25%");
    ReplicaSet rs = DeploymentPlanner.plan(d, List.of()).create().orElseThrow();
    String hash = rs.getMetadata().getLabels().get("pod-template-hash");
    assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]{6,10}");
    assertThat(rs.getSpec().getReplicas()).isEqualTo(4);
    assertThat(rs.getSpec().getSelector().getMatchLabels())
        .containsEntry("pod-template-hash", hash);
    assertThat(rs.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "1");
    assertThat(TemplateHash.of(d.getSpec().getTemplate(), 0)).isEqualTo(hash);
  }

  @Test
  void rollingUpdateSurgesThenScalesOldDownWithinMaxUnavailable() {
    Deployment v1 = deployment(4, "v1", "25%", "25%");
    ReplicaSet old = stored(v1, 4, 4, 1);
    Deployment v2 = deployment(4, "v2", "25%", "25%");
    DeploymentPlanner.Plan p = DeploymentPlanner.plan(v2, List.of(old));
    // maxSurge 25% of 4 = 1 (rounded up): the new set starts at 1; maxUnavailable 1: old to 3
    assertThat(p.create().orElseThrow().getSpec().getReplicas()).isEqualTo(1);
    assertThat(p.scale()).containsEntry(old.getMetadata().getName(), 3);
    assertThat(p.create().orElseThrow().getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "2");
  }

  @Test
  void unavailableNewPodsHoldTheOldSetBack() {
    Deployment v1 = deployment(4, "v1", "1", "0");
    Deployment v2 = deployment(4, "v2", "1", "0");
    ReplicaSet old = stored(v1, 4, 4, 1);
    ReplicaSet fresh = stored(v2, 1, 0, 2);
    DeploymentPlanner.Plan p = DeploymentPlanner.plan(v2, List.of(old, fresh));
    assertThat(p.create()).isEmpty();
    assertThat(p.scale()).isEmpty(); // total 5 = 4+1 surge; old cannot go below 4 available
    ReplicaSet ready = stored(v2, 1, 1, 2);
    assertThat(DeploymentPlanner.plan(v2, List.of(old, ready)).scale())
        .containsEntry(old.getMetadata().getName(), 3);
  }

  /** {@code d} as the controller leaves it once its rollout is complete. */
  static Deployment complete(Deployment d) {
    int replicas = d.getSpec().getReplicas();
    return new DeploymentBuilder(d)
        .editMetadata()
        .withGeneration(1L)
        .endMetadata()
        .withNewStatus()
        .withObservedGeneration(1L)
        .withReplicas(replicas)
        .withUpdatedReplicas(replicas)
        .withAvailableReplicas(replicas)
        .endStatus()
        .build();
  }

  @Test
  void historyBeyondTheLimitIsDeletedOnceTheRolloutIsComplete() {
    Deployment d =
        new DeploymentBuilder(deployment(1, "v9", "1", "0"))
            .editSpec()
            .withRevisionHistoryLimit(1)
            .endSpec()
            .build();
    ReplicaSet a = stored(deployment(1, "v1", "1", "0"), 0, 0, 1);
    ReplicaSet b = stored(deployment(1, "v2", "1", "0"), 0, 0, 2);
    ReplicaSet cur = stored(d, 1, 1, 3);
    assertThat(DeploymentPlanner.plan(d, List.of(a, b, cur)).delete()).isEmpty();
    assertThat(DeploymentPlanner.plan(complete(d), List.of(a, b, cur)).delete())
        .containsExactly(a.getMetadata().getName());
  }

  @Test
  void cleanupCountsEveryOldSetButSkipsThoseWithPods() {
    Deployment d =
        complete(
            new DeploymentBuilder(deployment(1, "v9", "1", "0"))
                .editSpec()
                .withRevisionHistoryLimit(1)
                .endSpec()
                .build());
    ReplicaSet a = stored(deployment(1, "v1", "1", "0"), 1, 1, 1); // still has a pod
    ReplicaSet b = stored(deployment(1, "v2", "1", "0"), 0, 0, 2);
    ReplicaSet c = stored(deployment(1, "v3", "1", "0"), 0, 0, 3);
    ReplicaSet cur = stored(d, 1, 1, 4);
    // three old sets, limit 1: the two oldest are candidates; a is skipped, b goes
    assertThat(DeploymentPlanner.plan(d, List.of(a, b, c, cur)).delete())
        .containsExactly(b.getMetadata().getName());
  }

  @Test
  void anOldTemplateComingBackTakesTheNextRevisionAndRemembersItsOldOne() {
    Deployment v1 = deployment(2, "v1", "1", "0");
    Deployment v2 = deployment(2, "v2", "1", "0");
    ReplicaSet first = stored(v1, 0, 0, 1);
    ReplicaSet second = stored(v2, 2, 2, 2);
    DeploymentPlanner.Plan p = DeploymentPlanner.plan(v1, List.of(first, second));
    assertThat(p.create()).isEmpty();
    ReplicaSet revised = p.revise().orElseThrow();
    assertThat(revised.getMetadata().getName()).isEqualTo(first.getMetadata().getName());
    assertThat(revised.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "3")
        .containsEntry("deployment.kubernetes.io/revision-history", "1");
    // and back again: revision 4, history 1,3
    ReplicaSet again = new ReplicaSetBuilder(revised).editSpec().withReplicas(0).endSpec().build();
    ReplicaSet secondNow =
        new ReplicaSetBuilder(second)
            .editMetadata()
            .addToAnnotations("deployment.kubernetes.io/revision", "2")
            .endMetadata()
            .build();
    ReplicaSet back = DeploymentPlanner.plan(v2, List.of(again, secondNow)).revise().orElseThrow();
    assertThat(back.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "4")
        .containsEntry("deployment.kubernetes.io/revision-history", "2");
    ReplicaSet third = DeploymentPlanner.plan(v1, List.of(again, back)).revise().orElseThrow();
    assertThat(third.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "5")
        .containsEntry("deployment.kubernetes.io/revision-history", "1,3");
  }

  @Test
  void theNewestSetIsNotRevisedAndDeploymentAnnotationsAreCopied() {
    Deployment d =
        new DeploymentBuilder(deployment(2, "v1", "1", "0"))
            .editMetadata()
            .addToAnnotations("kubernetes.io/change-cause", "first")
            .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{}")
            .endMetadata()
            .build();
    ReplicaSet rs = DeploymentPlanner.plan(d, List.of()).create().orElseThrow();
    assertThat(rs.getMetadata().getAnnotations())
        .containsEntry("kubernetes.io/change-cause", "first")
        .containsEntry("deployment.kubernetes.io/desired-replicas", "2")
        .containsEntry("deployment.kubernetes.io/max-replicas", "3")
        .doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration");
    assertThat(DeploymentPlanner.plan(d, List.of(rs)).revise()).isEmpty();
  }

  @Test
  void replicaSetDeletesUnscheduledThenNotReadyThenNewestFirst() {
    Pod ready = pod("a", "n1", true, "2026-01-01T00:00:00Z");
    Pod newerReady = pod("b", "n1", true, "2026-01-01T00:01:00Z");
    Pod notReady = pod("c", "n1", false, "2026-01-01T00:00:00Z");
    Pod unscheduled = pod("d", null, false, "2026-01-01T00:00:00Z");
    var plan = ReplicaSetController.plan(1, List.of(ready, newerReady, notReady, unscheduled));
    assertThat(plan.delete())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("d", "c", "b");
    assertThat(ReplicaSetController.plan(6, List.of(ready)).create()).isEqualTo(5);
  }

  private static Pod pod(String name, String node, boolean ready, String created) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withCreationTimestamp(created)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .endSpec()
        .withNewStatus()
        .withPhase(node == null ? "Pending" : "Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }
}
