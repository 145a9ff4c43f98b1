package dev.podpath.kube.workload;

import dev.podpath.kube.loop.QueueController;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.scheduler.SchedulerPlanner;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ObjectKey;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The DaemonSet controller: one pod per node the template may run on (node selector, node affinity,
 * taints, with the tolerations DaemonSet pods always get), pinned with a required node affinity on
 * {@code metadata.name} as upstream does; its history as ControllerRevisions ({@link Revisions},
 * pods labelled {@code controller-revision-hash}); what to create and delete per sync from {@link
 * DaemonSetPlanner} (the rolling update with maxUnavailable and maxSurge).
 */
public final class DaemonSetController extends QueueController {

  @Override
  public String name() {
    return "daemonset-controller";
  }

  @Override
  protected void watches() {
    queueEach(Kind.DAEMON_SET);
    queueControllerOrMatching(
        Kind.POD, Kind.DAEMON_SET, (DaemonSet d) -> d.getSpec().getSelector());
    on(Kind.NODE, e -> store().list(DaemonSet.class, null).forEach(queue()::add));
  }

  @Override
  public void sync(String key) {
    NamespacedName k = NamespacedName.of(key);
    Optional<DaemonSet> found = store().get(DaemonSet.class, k.namespace(), k.name());
    if (found.isEmpty()) {
      return;
    }
    DaemonSet ds = found.get();
    Selector selector = LabelSelectors.fromLabelSelector(ds.getSpec().getSelector());
    ControllerRefs.claimAndApply(
        store(),
        ds,
        (Pod p) ->
            selector.matches(
                p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels()),
        store().list(Pod.class, k.namespace()));
    List<ControllerRevision> own = Revisions.claim(store(), ds, ds.getSpec().getSelector());
    ControllerRevision cur =
        Revisions.apply(store(), Revisions.plan(ds, ds.getSpec().getTemplate(), own));
    String hash = cur.getMetadata().getLabels().get(Revisions.HASH_LABEL);
    Map<String, List<Pod>> byNode = new TreeMap<>();
    for (Pod p : Owners.controlled(store().list(Pod.class, k.namespace()), ds)) {
      boolean terminal =
          p.getStatus() != null
              && ("Succeeded".equals(p.getStatus().getPhase())
                  || "Failed".equals(p.getStatus().getPhase()));
      if (!(terminal && p.getMetadata().getDeletionTimestamp() != null)) {
        byNode.computeIfAbsent(target(p), n -> new ArrayList<>()).add(p);
      }
    }
    Set<String> shouldRun = new TreeSet<>();
    for (Node node : store().list(Node.class, null)) {
      String n = node.getMetadata().getName();
      if (SchedulerPlanner.fits(podFor(ds, n, hash), node).isEmpty()) {
        shouldRun.add(n);
      }
    }
    DaemonSetPlanner.Plan plan = DaemonSetPlanner.plan(ds, hash, shouldRun, byNode);
    if (ds.getMetadata().getDeletionTimestamp() == null) {
      plan.createOn().forEach(n -> store().create(podFor(ds, n, hash)));
    }
    for (String name : plan.delete()) {
      store().delete(ObjectKey.of(Kind.POD, k.namespace(), name));
    }
    cleanupHistory(ds, cur);
    updateStatus(ds, hash, shouldRun.size());
  }

  /** Deletes old revisions beyond {@code revisionHistoryLimit} that no pod wears. */
  private void cleanupHistory(DaemonSet ds, ControllerRevision cur) {
    Set<String> live = new TreeSet<>();
    for (Pod p : Owners.controlled(store().list(Pod.class, ds.getMetadata().getNamespace()), ds)) {
      String h =
          p.getMetadata().getLabels() == null
              ? null
              : p.getMetadata().getLabels().get(Revisions.HASH_LABEL);
      if (h != null) {
        live.add(h);
      }
    }
    List<ControllerRevision> old =
        Revisions.owned(store(), ds).stream()
            .filter(r -> !r.getMetadata().getName().equals(cur.getMetadata().getName()))
            .toList();
    int limit =
        ds.getSpec().getRevisionHistoryLimit() == null
            ? 10
            : ds.getSpec().getRevisionHistoryLimit();
    Revisions.delete(store(), Revisions.cleanupDaemonSet(old, live, limit));
  }

  private void updateStatus(DaemonSet ds, String hash, int desired) {
    List<Pod> now =
        Owners.controlled(store().list(Pod.class, ds.getMetadata().getNamespace()), ds).stream()
            .filter(Owners::isActive)
            .toList();
    int scheduled = (int) now.stream().filter(p -> p.getSpec().getNodeName() != null).count();
    int ready = (int) now.stream().filter(Owners::isReady).count();
    int updated = (int) now.stream().filter(p -> DaemonSetPlanner.isNew(p, hash)).count();
    store()
        .update(
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
    labels.put(Revisions.HASH_LABEL, hash);
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
