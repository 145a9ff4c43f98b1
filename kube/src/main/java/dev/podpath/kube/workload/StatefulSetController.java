package dev.podpath.kube.workload;

import dev.podpath.kube.loop.QueueController;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ObjectKey;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The StatefulSet controller: pods {@code <set>-0 … <set>-(n-1)} with stable hostname and subdomain
 * (the governing {@code serviceName}), a PersistentVolumeClaim per ordinal and claim template
 * ({@code <claim>-<set>-<ordinal>}) that outlives scale-down, OrderedReady (one ordinal at a time,
 * each Running and Ready before the next; scale-down from the highest) or Parallel management, and
 * rolling updates from the highest ordinal down to {@code partition}.
 */
public final class StatefulSetController extends QueueController {

  public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
  public static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
  public static final String REVISION_LABEL = Revisions.HASH_LABEL;

  @Override
  public String name() {
    return "statefulset-controller";
  }

  @Override
  protected void watches() {
    queueEach(Kind.STATEFUL_SET);
    queueControllerOrMatching(
        Kind.POD, Kind.STATEFUL_SET, (StatefulSet set) -> set.getSpec().getSelector());
  }

  @Override
  public void sync(String key) {
    NamespacedName k = NamespacedName.of(key);
    Optional<StatefulSet> found = store().get(StatefulSet.class, k.namespace(), k.name());
    if (found.isEmpty()) {
      return;
    }
    StatefulSet set = found.get();
    claimPods(set);
    List<ControllerRevision> own = Revisions.claim(store(), set, set.getSpec().getSelector());
    ControllerRevision update =
        Revisions.apply(store(), Revisions.plan(set, set.getSpec().getTemplate(), own));
    String revision = update.getMetadata().getName();
    if (set.getMetadata().getDeletionTimestamp() == null) {
      step(set, revision);
    }
    StatefulSet now = store().get(StatefulSet.class, k.namespace(), k.name()).orElseThrow();
    updateStatus(now, revision);
    truncateHistory(store().get(StatefulSet.class, k.namespace(), k.name()).orElseThrow());
  }

  /**
   * {@code getPodsForStatefulSet}: the pods named {@code <set>-<ordinal>} that the selector matches
   * are claimed (orphans adopted), those it stopped matching released.
   */
  private void claimPods(StatefulSet set) {
    Selector selector = LabelSelectors.fromLabelSelector(set.getSpec().getSelector());
    ControllerRefs.claimAndApply(
        store(),
        set,
        (Pod p) ->
            ordinal(set, p) >= 0
                && selector.matches(
                    p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels()),
        store().list(Pod.class, set.getMetadata().getNamespace()));
  }

  /** The ordinal of a pod named {@code <set>-<ordinal>}, else -1 ({@code isMemberOf}). */
  private static int ordinal(StatefulSet set, Pod p) {
    String prefix = set.getMetadata().getName() + "-";
    String n = p.getMetadata().getName();
    if (!n.startsWith(prefix) || !n.substring(prefix.length()).matches("[0-9]+")) {
      return -1;
    }
    try {
      return Integer.parseInt(n.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Deletes the revisions beyond {@code revisionHistoryLimit} that nothing uses. */
  private void truncateHistory(StatefulSet set) {
    Set<String> live = new HashSet<>();
    if (set.getStatus() != null) {
      live.add(Objects.toString(set.getStatus().getCurrentRevision(), ""));
      live.add(Objects.toString(set.getStatus().getUpdateRevision(), ""));
    }
    pods(set).values().forEach(p -> live.add(p.getMetadata().getLabels().get(REVISION_LABEL)));
    int limit =
        set.getSpec().getRevisionHistoryLimit() == null
            ? 10
            : set.getSpec().getRevisionHistoryLimit();
    Revisions.delete(
        store(), Revisions.truncateStatefulSet(Revisions.owned(store(), set), live, limit));
  }

  private Map<Integer, Pod> pods(StatefulSet set) {
    Map<Integer, Pod> byOrdinal = new TreeMap<>();
    for (Pod p :
        Owners.controlled(store().list(Pod.class, set.getMetadata().getNamespace()), set)) {
      int i = ordinal(set, p);
      if (i >= 0) {
        byOrdinal.put(i, p);
      }
    }
    return byOrdinal;
  }

  /** One reconcile: at most one ordered action for OrderedReady, all for Parallel. */
  private void step(StatefulSet set, String revision) {
    boolean parallel = "Parallel".equals(set.getSpec().getPodManagementPolicy());
    int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
    Map<Integer, Pod> pods = pods(set);
    for (int i = 0; i < replicas; i++) {
      Pod p = pods.get(i);
      if (p == null) {
        claims(set, i);
        store().create(podFor(set, i, revision));
        if (!parallel) {
          return;
        }
      } else if (!parallel
          && (p.getMetadata().getDeletionTimestamp() != null
              || !Owners.isRunning(p)
              || !Owners.isReady(p))) {
        return; // wait for this ordinal before the next
      }
    }
    List<Integer> condemned =
        new ArrayList<>(
            pods.keySet().stream().filter(i -> i >= replicas).sorted((a, b) -> b - a).toList());
    for (int i : condemned) {
      Pod p = pods.get(i);
      if (p.getMetadata().getDeletionTimestamp() == null) {
        store().delete(ObjectKey.of(p));
      }
      if (!parallel) {
        return;
      }
    }
    var strategy = set.getSpec().getUpdateStrategy();
    if (strategy != null && "OnDelete".equals(strategy.getType())) {
      return;
    }
    int partition =
        strategy == null
                || strategy.getRollingUpdate() == null
                || strategy.getRollingUpdate().getPartition() == null
            ? 0
            : strategy.getRollingUpdate().getPartition();
    for (int i : rollingDeletes(set, pods, revision, replicas, partition)) {
      store().delete(ObjectKey.of(pods.get(i)));
    }
  }

  /**
   * The ordinals a rolling update deletes now ({@code updateStatefulSetAfterInvariantEstablished},
   * the MaxUnavailableStatefulSet behaviour, beta and on by default since Kubernetes 1.35): with
   * {@code u} pods of ordinals below {@code replicas} unhealthy (not Running and Ready, or
   * terminating), up to {@code maxUnavailable - u} pods not of {@code revision}, from the highest
   * ordinal down to {@code partition}. maxUnavailable is an int or a percentage of replicas rounded
   * down, at least 1; 1 when unset (one pod at a time, the behaviour before the feature).
   */
  static List<Integer> rollingDeletes(
      StatefulSet set, Map<Integer, Pod> pods, String revision, int replicas, int partition) {
    var ru =
        set.getSpec().getUpdateStrategy() == null
            ? null
            : set.getSpec().getUpdateStrategy().getRollingUpdate();
    int maxUnavailable =
        Math.max(
            1,
            RollingMath.resolve(ru == null ? null : ru.getMaxUnavailable(), replicas, false, "1"));
    int unavailable = 0;
    for (int i = 0; i < replicas; i++) {
      Pod p = pods.get(i);
      if (p == null || !healthy(p)) {
        unavailable++;
      }
    }
    List<Integer> out = new ArrayList<>();
    for (int i = replicas - 1; i >= partition && out.size() < maxUnavailable - unavailable; i--) {
      Pod p = pods.get(i);
      if (p != null
          && !revision.equals(p.getMetadata().getLabels().get(REVISION_LABEL))
          && p.getMetadata().getDeletionTimestamp() == null) {
        out.add(i);
      }
    }
    return out;
  }

  private static boolean healthy(Pod p) {
    return Owners.isRunning(p)
        && Owners.isReady(p)
        && p.getMetadata().getDeletionTimestamp() == null;
  }

  private void claims(StatefulSet set, int ordinal) {
    for (PersistentVolumeClaim tpl : set.getSpec().getVolumeClaimTemplates()) {
      String name = tpl.getMetadata().getName() + "-" + set.getMetadata().getName() + "-" + ordinal;
      if (store()
          .get(PersistentVolumeClaim.class, set.getMetadata().getNamespace(), name)
          .isEmpty()) {
        Map<String, String> labels =
            new TreeMap<>(
                set.getSpec().getSelector().getMatchLabels() == null
                    ? Map.of()
                    : set.getSpec().getSelector().getMatchLabels());
        store()
            .create(
                new PersistentVolumeClaimBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(set.getMetadata().getNamespace())
                    .withLabels(labels)
                    .endMetadata()
                    .withSpec(tpl.getSpec())
                    .withNewStatus()
                    .withPhase("Bound")
                    .endStatus()
                    .build());
      }
    }
  }

  private static Pod podFor(StatefulSet set, int ordinal, String revision) {
    String name = set.getMetadata().getName() + "-" + ordinal;
    var template = set.getSpec().getTemplate();
    Map<String, String> labels =
        new TreeMap<>(
            template.getMetadata() == null || template.getMetadata().getLabels() == null
                ? Map.of()
                : template.getMetadata().getLabels());
    labels.put(POD_NAME_LABEL, name);
    labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
    labels.put(REVISION_LABEL, revision);
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(set.getMetadata().getNamespace())
            .withLabels(labels)
            .withAnnotations(
                template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
            .withOwnerReferences(Owners.controllerRef(set))
            .endMetadata()
            .withSpec(template.getSpec());
    Pod pod = b.build();
    pod.getSpec().setHostname(name);
    pod.getSpec().setSubdomain(set.getSpec().getServiceName());
    for (PersistentVolumeClaim tpl : set.getSpec().getVolumeClaimTemplates()) {
      String claim =
          tpl.getMetadata().getName() + "-" + set.getMetadata().getName() + "-" + ordinal;
      pod.getSpec()
          .getVolumes()
          .removeIf(v -> Objects.equals(v.getName(), tpl.getMetadata().getName()));
      pod.getSpec()
          .getVolumes()
          .add(
              new VolumeBuilder()
                  .withName(tpl.getMetadata().getName())
                  .withNewPersistentVolumeClaim()
                  .withClaimName(claim)
                  .endPersistentVolumeClaim()
                  .build());
    }
    return pod;
  }

  private void updateStatus(StatefulSet set, String revision) {
    Map<Integer, Pod> pods = pods(set);
    int active = (int) pods.values().stream().filter(Owners::isActive).count();
    int ready =
        (int) pods.values().stream().filter(p -> Owners.isActive(p) && Owners.isReady(p)).count();
    int updated =
        (int)
            pods.values().stream()
                .filter(p -> revision.equals(p.getMetadata().getLabels().get(REVISION_LABEL)))
                .count();
    String current =
        set.getStatus() == null || set.getStatus().getCurrentRevision() == null
            ? revision
            : set.getStatus().getCurrentRevision();
    int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
    if (updated == replicas && active == replicas) {
      current = revision;
    }
    String cur = current;
    int currentReplicas =
        (int)
            pods.values().stream()
                .filter(p -> cur.equals(p.getMetadata().getLabels().get(REVISION_LABEL)))
                .count();
    store()
        .update(
            new StatefulSetBuilder(set)
                .editOrNewStatus()
                .withReplicas(active)
                .withReadyReplicas(ready)
                .withAvailableReplicas(ready)
                .withCurrentReplicas(currentReplicas)
                .withUpdatedReplicas(updated)
                .withCurrentRevision(current)
                .withUpdateRevision(revision)
                .withObservedGeneration(set.getMetadata().getGeneration())
                .endStatus()
                .build());
  }
}
