package dev.podpath.kube.workload;

import dev.podpath.kube.loop.Controller;
import dev.podpath.kube.loop.WorkQueue;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.ObjectKey;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The ReplicaSet controller: keeps {@code spec.replicas} active pods made from the template ({@code
 * generateName: <rs>-}, controller reference); when there are too many it deletes the least
 * valuable first (unscheduled, then pending, then not ready, then the newest); keeps {@code status}
 * (replicas, readyReplicas, availableReplicas, observedGeneration).
 */
public final class ReplicaSetController implements Controller {

  private ApiStore store;

  @Override
  public String name() {
    return "replicaset-controller";
  }

  @Override
  public void start(ApiStore store, WorkQueue queue) {
    this.store = store;
    store.watch(
        name(),
        Kind.REPLICA_SET,
        null,
        Selector.everything(),
        FieldSelector.everything(),
        Optional.empty(),
        e ->
            queue.add(
                key(e.object().getMetadata().getNamespace(), e.object().getMetadata().getName())));
    store.watch(
        name(),
        Kind.POD,
        null,
        Selector.everything(),
        FieldSelector.everything(),
        Optional.empty(),
        e -> {
          for (OwnerReference r : e.object().getMetadata().getOwnerReferences()) {
            if ("ReplicaSet".equals(r.getKind()) && Boolean.TRUE.equals(r.getController())) {
              queue.add(key(e.object().getMetadata().getNamespace(), r.getName()));
            }
          }
        });
  }

  static String key(String ns, String name) {
    return ns + "/" + name;
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
    String[] nsName = key.split("/", 2);
    Optional<ReplicaSet> found = store.get(ReplicaSet.class, nsName[0], nsName[1]);
    if (found.isEmpty()) {
      return;
    }
    ReplicaSet rs = found.get();
    List<Pod> owned = Owners.controlled(store.list(Pod.class, nsName[0]), rs);
    List<Pod> active = owned.stream().filter(Owners::isActive).toList();
    int replicas = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    if (rs.getMetadata().getDeletionTimestamp() == null) {
      Plan plan = plan(replicas, active);
      for (int i = 0; i < plan.create(); i++) {
        store.create(podFor(rs));
      }
      for (Pod p : plan.delete()) {
        store.delete(ObjectKey.of(p));
      }
      if (plan.create() > 0 || !plan.delete().isEmpty()) {
        active =
            Owners.controlled(store.list(Pod.class, nsName[0]), rs).stream()
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
    store.update(status);
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
