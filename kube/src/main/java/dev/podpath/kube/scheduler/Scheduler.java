package dev.podpath.kube.scheduler;

import dev.podpath.kube.loop.Controller;
import dev.podpath.kube.loop.WorkQueue;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.WatchEvent;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * kube-scheduler: binds each pod without {@code spec.nodeName} to the node {@link SchedulerPlanner}
 * picks; a pod no node fits stays Pending with condition PodScheduled=False, reason Unschedulable
 * and the scheduler's message, and is retried when nodes or pods change.
 */
public final class Scheduler implements Controller {

  private ApiStore store;
  private final TreeSet<String> unschedulable = new TreeSet<>();

  @Override
  public String name() {
    return "default-scheduler";
  }

  @Override
  public void start(ApiStore store, WorkQueue queue) {
    this.store = store;
    store.watch(
        name(),
        Kind.POD,
        null,
        Selector.everything(),
        FieldSelector.everything(),
        Optional.empty(),
        e -> {
          Pod p = (Pod) e.object();
          String key = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
          if (e.type() == WatchEvent.Type.DELETED) {
            unschedulable.remove(key);
            List.copyOf(unschedulable).forEach(queue::add); // room may have been freed
          } else if (p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty()) {
            queue.add(key);
          } else {
            // a pod on a node may satisfy a pending pod's affinity or spreading
            List.copyOf(unschedulable).forEach(queue::add);
          }
        });
    store.watch(
        name(),
        Kind.NODE,
        null,
        Selector.everything(),
        FieldSelector.everything(),
        Optional.empty(),
        e -> List.copyOf(unschedulable).forEach(queue::add));
  }

  @Override
  public void sync(String key) {
    String[] nsName = key.split("/", 2);
    Optional<Pod> found = store.get(Pod.class, nsName[0], nsName[1]);
    if (found.isEmpty()
        || (found.get().getSpec().getNodeName() != null
            && !found.get().getSpec().getNodeName().isEmpty())
        || found.get().getMetadata().getDeletionTimestamp() != null) {
      unschedulable.remove(key);
      return;
    }
    Pod pod = found.get();
    List<Node> nodes = store.list(Node.class, null);
    List<Pod> assigned =
        store.list(Pod.class, null).stream()
            .filter(p -> p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty())
            .toList();
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            nodes,
            assigned,
            ClusterSnapshot.labelsOf(store.list(Namespace.class, null)),
            store.list(Service.class, pod.getMetadata().getNamespace()),
            store.list(ReplicaSet.class, pod.getMetadata().getNamespace()),
            store.list(StatefulSet.class, pod.getMetadata().getNamespace()));
    switch (SchedulerPlanner.place(pod, snapshot)) {
      case Placement.Bound b -> {
        unschedulable.remove(key);
        store.update(new PodBuilder(pod).editSpec().withNodeName(b.node()).endSpec().build());
      }
      case Placement.Unschedulable u -> {
        unschedulable.add(key);
        store.update(
            new PodBuilder(pod)
                .editOrNewStatus()
                .withPhase("Pending")
                .withConditions(
                    new PodConditionBuilder()
                        .withType("PodScheduled")
                        .withStatus("False")
                        .withReason("Unschedulable")
                        .withMessage(u.message())
                        .build())
                .endStatus()
                .build());
      }
    }
  }
}
