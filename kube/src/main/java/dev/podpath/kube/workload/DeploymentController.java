package dev.podpath.kube.workload;

import dev.podpath.kube.loop.QueueController;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Deployment controller: claims the ReplicaSets of its namespace that its selector matches
 * ({@link ControllerRefs}: adopts orphans, releases sets that stopped matching), applies {@link
 * DeploymentPlanner}'s plan, keeps the Deployment's revision annotation (its new set's) and status.
 */
public final class DeploymentController extends QueueController {

  @Override
  public String name() {
    return "deployment-controller";
  }

  @Override
  protected void watches() {
    queueEach(Kind.DEPLOYMENT);
    queueControllerOrMatching(
        Kind.REPLICA_SET, Kind.DEPLOYMENT, (Deployment d) -> d.getSpec().getSelector());
  }

  private static Map<String, String> labels(HasMetadata o) {
    return o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
  }

  @Override
  public void sync(String key) {
    NamespacedName k = NamespacedName.of(key);
    Optional<Deployment> found = store().get(Deployment.class, k.namespace(), k.name());
    if (found.isEmpty()) {
      return;
    }
    Deployment d = found.get();
    Selector selector = LabelSelectors.fromLabelSelector(d.getSpec().getSelector());
    List<ReplicaSet> owned =
        ControllerRefs.claimAndApply(
            store(),
            d,
            (ReplicaSet rs) -> selector.matches(labels(rs)),
            store().list(ReplicaSet.class, k.namespace()));
    if (d.getMetadata().getDeletionTimestamp() == null
        && !Boolean.TRUE.equals(d.getSpec().getPaused())) {
      DeploymentPlanner.Plan plan = DeploymentPlanner.plan(d, owned);
      plan.revise().ifPresent(store()::update);
      plan.create().ifPresent(store()::create);
      int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      String maxReplicas = Integer.toString(replicas + DeploymentPlanner.maxSurge(d));
      for (Map.Entry<String, Integer> e : plan.scale().entrySet()) {
        ReplicaSet rs = store().get(ReplicaSet.class, k.namespace(), e.getKey()).orElseThrow();
        store()
            .update(
                new ReplicaSetBuilder(rs)
                    .editMetadata()
                    .addToAnnotations(
                        DeploymentPlanner.DESIRED_REPLICAS, Integer.toString(replicas))
                    .addToAnnotations(DeploymentPlanner.MAX_REPLICAS, maxReplicas)
                    .endMetadata()
                    .editSpec()
                    .withReplicas(e.getValue())
                    .endSpec()
                    .build());
      }
      for (String name : plan.delete()) {
        store().delete(ObjectKey.of(Kind.REPLICA_SET, k.namespace(), name));
      }
      owned = Owners.controlled(store().list(ReplicaSet.class, k.namespace()), d);
    }
    store().update(withStatus(d, owned));
  }

  private Deployment withStatus(Deployment d, List<ReplicaSet> owned) {
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    ReplicaSet current =
        owned.stream()
            .filter(
                rs ->
                    TemplateHash.sameTemplate(
                        rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
            .findFirst()
            .orElse(null);
    int total = owned.stream().mapToInt(DeploymentPlanner::active).sum();
    int ready =
        owned.stream()
            .mapToInt(
                rs ->
                    rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null
                        ? 0
                        : rs.getStatus().getReadyReplicas())
            .sum();
    int available = owned.stream().mapToInt(DeploymentPlanner::available).sum();
    int updated = current == null ? 0 : DeploymentPlanner.active(current);
    var ru =
        d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    int maxUnavailable =
        RollingMath.surgeAndUnavailable(
            ru == null ? null : ru.getMaxSurge(),
            ru == null ? null : ru.getMaxUnavailable(),
            replicas)[1];
    boolean complete = updated == replicas && total == replicas && available == replicas;
    String now = store().timestamp();
    List<DeploymentCondition> old =
        d.getStatus() == null ? List.of() : d.getStatus().getConditions();
    DeploymentCondition availableCond =
        condition(
            old,
            "Available",
            available >= replicas - maxUnavailable ? "True" : "False",
            available >= replicas - maxUnavailable
                ? "MinimumReplicasAvailable"
                : "MinimumReplicasUnavailable",
            available >= replicas - maxUnavailable
                ? "Deployment has minimum availability."
                : "Deployment does not have minimum availability.",
            now);
    String rsName = current == null ? "" : current.getMetadata().getName();
    Map<String, String> annotations =
        new java.util.TreeMap<>(
            d.getMetadata().getAnnotations() == null ? Map.of() : d.getMetadata().getAnnotations());
    if (current != null && current.getMetadata().getAnnotations() != null) {
      String revision = current.getMetadata().getAnnotations().get(DeploymentPlanner.REVISION);
      if (revision != null) {
        annotations.put(DeploymentPlanner.REVISION, revision);
      }
    }
    DeploymentCondition progressing =
        condition(
            old,
            "Progressing",
            "True",
            complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
            complete
                ? "ReplicaSet \"" + rsName + "\" has successfully progressed."
                : "ReplicaSet \"" + rsName + "\" is progressing.",
            now);
    return new DeploymentBuilder(d)
        .editMetadata()
        .withAnnotations(annotations.isEmpty() ? null : annotations)
        .endMetadata()
        .editOrNewStatus()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(total)
        .withUpdatedReplicas(updated)
        .withReadyReplicas(ready)
        .withAvailableReplicas(available)
        .withUnavailableReplicas(
            Math.max(0, replicas - available) == 0 ? null : Math.max(0, replicas - available))
        .withConditions(availableCond, progressing)
        .endStatus()
        .build();
  }

  private static DeploymentCondition condition(
      List<DeploymentCondition> old,
      String type,
      String status,
      String reason,
      String message,
      String now) {
    for (DeploymentCondition c : old) {
      if (type.equals(c.getType())
          && status.equals(c.getStatus())
          && reason.equals(c.getReason())
          && message.equals(c.getMessage())) {
        return c;
      }
    }
    return new DeploymentConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastUpdateTime(now)
        .withLastTransitionTime(now)
        .build();
  }

  /** {@code kubectl rollout status}: whether the rollout of {@code d} is complete. */
  public static boolean rolloutComplete(Deployment d) {
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    var st = d.getStatus();
    return st != null
        && st.getObservedGeneration() != null
        && st.getObservedGeneration() >= d.getMetadata().getGeneration()
        && nz(st.getUpdatedReplicas()) == replicas
        && nz(st.getReplicas()) == replicas
        && nz(st.getAvailableReplicas()) == replicas;
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }
}
