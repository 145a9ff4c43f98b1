package dev.podpath.kube.workload;

import dev.podpath.kube.loop.Controller;
import dev.podpath.kube.loop.WorkQueue;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.scheduler.SchedulerPlanner;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.ObjectKey;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The DaemonSet controller: one pod per node the template may run on (node selector, node affinity,
 * taints, with the tolerations DaemonSet pods always get), pinned with a required node affinity on
 * {@code metadata.name} as upstream does; pods on nodes that no longer fit are deleted; template
 * changes roll one node at a time (maxUnavailable 1).
 */
public final class DaemonSetController implements Controller {

  private ApiStore store;

  @Override
  public String name() {
    return "daemonset-controller";
  }

  @Override
  public void start(ApiStore store, WorkQueue queue) {
    this.store = store;
    store.watch(
        name(),
        Kind.DAEMON_SET,
        null,
        Selector.everything(),
        FieldSelector.everything(),
        Optional.empty(),
        e -> queue.add(e.object()));
    store.watch(
        name(),
        Kind.POD,
        null,
        Selector.everything(),
        FieldSelector.everything(),
        Optional.empty(),
        e -> {
          for (OwnerReference r : e.object().getMetadata().getOwnerReferences()) {
            if ("DaemonSet".equals(r.getKind()) && Boolean.TRUE.equals(r.getController())) {
              queue.add(e.object().getMetadata().getNamespace() + "/" + r.getName());
            }
          }
        });
    store.watch(
        name(),
        Kind.NODE,
        null,
        Selector.everything(),
        FieldSelector.everything(),
        Optional.empty(),
        e ->
            store
                .list(DaemonSet.class, null)
                .forEach(
                    ds ->
                        queue.add(
                            ds.getMetadata().getNamespace() + "/" + ds.getMetadata().getName())));
  }

  @Override
  public void sync(String key) {
    String[] nsName = key.split("/", 2);
    Optional<DaemonSet> found = store.get(DaemonSet.class, nsName[0], nsName[1]);
    if (found.isEmpty()) {
      return;
    }
    DaemonSet ds = found.get();
    String hash = TemplateHash.of(ds.getSpec().getTemplate(), 0);
    Map<String, List<Pod>> byNode = new TreeMap<>();
    for (Pod p : Owners.controlled(store.list(Pod.class, nsName[0]), ds)) {
      if (Owners.isActive(p)) {
        byNode.computeIfAbsent(target(p), k -> new ArrayList<>()).add(p);
      }
    }
    int desired = 0;
    boolean rolled = false;
    for (Node node : store.list(Node.class, null)) {
      String n = node.getMetadata().getName();
      Pod probe = podFor(ds, n, hash);
      boolean fits = SchedulerPlanner.fits(probe, node).isEmpty();
      List<Pod> here = byNode.getOrDefault(n, List.of());
      if (!fits) {
        here.forEach(p -> store.delete(ObjectKey.of(p)));
        continue;
      }
      desired++;
      if (ds.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (here.isEmpty()) {
        store.create(probe);
        continue;
      }
      here.subList(1, here.size()).forEach(p -> store.delete(ObjectKey.of(p)));
      Pod p = here.getFirst();
      boolean stale = !hash.equals(p.getMetadata().getLabels().get(TemplateHash.LABEL));
      if (stale && !rolled && Owners.isReady(p)) {
        store.delete(ObjectKey.of(p));
        rolled = true;
      }
    }
    List<Pod> now =
        Owners.controlled(store.list(Pod.class, nsName[0]), ds).stream()
            .filter(Owners::isActive)
            .toList();
    int scheduled = (int) now.stream().filter(p -> p.getSpec().getNodeName() != null).count();
    int ready = (int) now.stream().filter(Owners::isReady).count();
    int updated =
        (int)
            now.stream()
                .filter(p -> hash.equals(p.getMetadata().getLabels().get(TemplateHash.LABEL)))
                .count();
    store.update(
        new DaemonSetBuilder(ds)
            .editOrNewStatus()
            .withDesiredNumberScheduled(desired)
            .withCurrentNumberScheduled(scheduled)
            .withNumberReady(ready)
            .withNumberAvailable(ready)
            .withUpdatedNumberScheduled(updated)
            .withNumberMisscheduled(0)
            .withObservedGeneration(ds.getMetadata().getGeneration())
            .endStatus()
            .build());
  }

  private static String target(Pod p) {
    if (p.getSpec().getNodeName() != null) {
      return p.getSpec().getNodeName();
    }
    try {
      return p.getSpec()
          .getAffinity()
          .getNodeAffinity()
          .getRequiredDuringSchedulingIgnoredDuringExecution()
          .getNodeSelectorTerms()
          .getFirst()
          .getMatchFields()
          .getFirst()
          .getValues()
          .getFirst();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static final List<Toleration> DAEMON_TOLERATIONS =
      List.of(
          toleration("node.kubernetes.io/not-ready", "NoExecute"),
          toleration("node.kubernetes.io/unreachable", "NoExecute"),
          toleration("node.kubernetes.io/disk-pressure", "NoSchedule"),
          toleration("node.kubernetes.io/memory-pressure", "NoSchedule"),
          toleration("node.kubernetes.io/pid-pressure", "NoSchedule"),
          toleration("node.kubernetes.io/unschedulable", "NoSchedule"));

  private static Toleration toleration(String key, String effect) {
    return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
  }

  private static Pod podFor(DaemonSet ds, String node, String hash) {
    var template = ds.getSpec().getTemplate();
    Map<String, String> labels =
        new TreeMap<>(
            template.getMetadata() == null || template.getMetadata().getLabels() == null
                ? Map.of()
                : template.getMetadata().getLabels());
    labels.put(TemplateHash.LABEL, hash);
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withGenerateName(ds.getMetadata().getName() + "-")
            .withNamespace(ds.getMetadata().getNamespace())
            .withLabels(labels)
            .withOwnerReferences(Owners.controllerRef(ds))
            .endMetadata()
            .withSpec(template.getSpec())
            .build();
    pod =
        new PodBuilder(pod)
            .editSpec()
            .editOrNewAffinity()
            .editOrNewNodeAffinity()
            .editOrNewRequiredDuringSchedulingIgnoredDuringExecution()
            .withNodeSelectorTerms(List.of())
            .addNewNodeSelectorTerm()
            .withMatchFields(
                new NodeSelectorRequirementBuilder()
                    .withKey("metadata.name")
                    .withOperator("In")
                    .withValues(node)
                    .build())
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .endSpec()
            .build();
    List<Toleration> tolerations = new ArrayList<>(pod.getSpec().getTolerations());
    for (Toleration t : DAEMON_TOLERATIONS) {
      if (!tolerations.contains(t)) {
        tolerations.add(t);
      }
    }
    pod.getSpec().setTolerations(tolerations);
    return pod;
  }
}
