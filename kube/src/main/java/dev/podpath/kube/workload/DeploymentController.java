package dev.podpath.kube.workload;

import dev.podpath.kube.loop.Controller;
import dev.podpath.kube.loop.WorkQueue;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.ObjectKey;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Deployment controller: applies {@link DeploymentPlanner}'s plan and keeps status. */
public final class DeploymentController implements Controller {

  private ApiStore store;

  @Override
  public String name() {
    return "deployment-controller";
  }

  @Override
  public void start(ApiStore store, WorkQueue queue) {
    this.store = store;
    store.watch(
        name(),
        Kind.DEPLOYMENT,
        null,
        Selector.everything(),
        FieldSelector.everything(),
        Optional.empty(),
        e -> queue.add(e.object()));
    store.watch(
        name(),
        Kind.REPLICA_SET,
        null,
        Selector.everything(),
        FieldSelector.everything(),
        Optional.empty(),
        e -> {
          for (OwnerReference r : e.object().getMetadata().getOwnerReferences()) {
            if ("Deployment".equals(r.getKind()) && Boolean.TRUE.equals(r.getController())) {
              queue.add(e.object().getMetadata().getNamespace() + "/" + r.getName());
            }
          }
        });
  }

  @Override
  public void sync(String key) {
    String[] nsName = key.split("/", 2);
    Optional<Deployment> found = store.get(Deployment.class, nsName[0], nsName[1]);
    if (found.isEmpty()) {
      return;
    }
    Deployment d = found.get();
    List<ReplicaSet> owned = Owners.controlled(store.list(ReplicaSet.class, nsName[0]), d);
    if (d.getMetadata().getDeletionTimestamp() == null
        && !Boolean.TRUE.equals(d.getSpec().getPaused())) {
      DeploymentPlanner.Plan plan = DeploymentPlanner.plan(d, owned);
      plan.create().ifPresent(store::create);
      for (Map.Entry<String, Integer> e : plan.scale().entrySet()) {
        ReplicaSet rs = store.get(ReplicaSet.class, nsName[0], e.getKey()).orElseThrow();
        store.update(
            new ReplicaSetBuilder(rs).editSpec().withReplicas(e.getValue()).endSpec().build());
      }
      for (String name : plan.delete()) {
        store.delete(ObjectKey.of(Kind.REPLICA_SET, nsName[0], name));
      }
      owned = Owners.controlled(store.list(ReplicaSet.class, nsName[0]), d);
    }
    store.update(withStatus(d, owned));
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
    String now = store.timestamp();
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
