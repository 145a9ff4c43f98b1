package dev.podpath.kube.workload;

import dev.podpath.kube.loop.QueueController;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ObjectKey;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ReplicaSet controller: claims the active pods of its namespace that its selector matches
 * ({@link ControllerRefs}: adopts orphans, releases pods whose labels stopped matching), keeps
 * {@code spec.replicas} of them, creating from the template ({@code generateName: <rs>-},
 * controller reference) and, when there are too many, deleting the least valuable first
 * (unscheduled, then pending, then not ready, then the newest); keeps {@code status} (replicas,
 * readyReplicas, availableReplicas, observedGeneration).
 */
public final class ReplicaSetController extends QueueController {

  @Override
  public String name() {
    return "replicaset-controller";
  }

  @Override
  protected void watches() {
    queueEach(Kind.REPLICA_SET);
    queueControllerOrMatching(
        Kind.POD, Kind.REPLICA_SET, (ReplicaSet rs) -> rs.getSpec().getSelector());
  }

  /** What to do: how many pods to create, which to delete. */
  public record Plan(int create, List<Pod> delete) {}

  /** The pure part: {@code replicas} wanted, the active pods the set controls. */
  public static Plan plan(int replicas, List<Pod> active) {
    int diff = active.size() - replicas;
    if (diff < 0) {
      return new Plan(-diff, List.of());
    }
    if (diff == 0) {
      return new Plan(0, List.of());
    }
    List<Pod> ranked = active.stream().sorted(DELETE_FIRST).toList();
    return new Plan(0, ranked.subList(0, diff));
  }

  /** Unassigned < assigned, Pending < Running, not ready < ready, newer < older, then name. */
  static final Comparator<Pod> DELETE_FIRST =
      Comparator.comparing(
              (Pod p) -> p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty())
          .thenComparing(Owners::isRunning)
          .thenComparing(Owners::isReady)
          .thenComparing(
              (Pod p) -> p.getMetadata().getCreationTimestamp(), Comparator.reverseOrder())
          .thenComparing((Pod p) -> p.getMetadata().getName(), Comparator.reverseOrder());

  @Override
  public void sync(String key) {
    NamespacedName k = NamespacedName.of(key);
    Optional<ReplicaSet> found = store().get(ReplicaSet.class, k.namespace(), k.name());
    if (found.isEmpty()) {
      return;
    }
    ReplicaSet rs = found.get();
    List<Pod> active = claim(rs);
    int replicas = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    if (rs.getMetadata().getDeletionTimestamp() == null) {
      Plan plan = plan(replicas, active);
      for (int i = 0; i < plan.create(); i++) {
        store().create(podFor(rs));
      }
      for (Pod p : plan.delete()) {
        store().delete(ObjectKey.of(p));
      }
      if (plan.create() > 0 || !plan.delete().isEmpty()) {
        active =
            Owners.controlled(store().list(Pod.class, k.namespace()), rs).stream()
                .filter(Owners::isActive)
                .toList();
      }
    }
    int ready = (int) active.stream().filter(Owners::isReady).count();
    ReplicaSet status =
        new ReplicaSetBuilder(rs)
            .editOrNewStatus()
            .withReplicas(active.size())
            .withFullyLabeledReplicas(active.size())
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withObservedGeneration(rs.getMetadata().getGeneration())
            .endStatus()
            .build();
    store().update(status);
  }

  /** The active pods of the namespace that {@code rs} claims (adopting and releasing). */
  private List<Pod> claim(ReplicaSet rs) {
    List<Pod> active =
        store().list(Pod.class, rs.getMetadata().getNamespace()).stream()
            .filter(Owners::isActive)
            .toList();
    Selector selector = LabelSelectors.fromLabelSelector(rs.getSpec().getSelector());
    return ControllerRefs.claimAndApply(
        store(),
        rs,
        (Pod p) ->
            selector.matches(
                p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels()),
        active);
  }

  private static Pod podFor(ReplicaSet rs) {
    var template = rs.getSpec().getTemplate();
    return new PodBuilder()
        .withNewMetadataLike(
            template.getMetadata() == null
                ? new io.fabric8.kubernetes.api.model.ObjectMeta()
                : template.getMetadata())
        .withName(null)
        .withGenerateName(rs.getMetadata().getName() + "-")
        .withNamespace(rs.getMetadata().getNamespace())
        .withOwnerReferences(Owners.controllerRef(rs))
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
  }
}
