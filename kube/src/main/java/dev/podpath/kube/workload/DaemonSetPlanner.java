package dev.podpath.kube.workload;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The DaemonSet controller's decision as a pure function ({@code daemon_controller.go} {@code
 * manage} and {@code update.go} {@code rollingUpdate}): first the manage step — a pod on every node
 * that should run one and has none (a node still holding a terminating pod waits), failed pods and
 * pods on nodes that should not run one deleted, and extra pods pruned (without maxSurge all but
 * the oldest; with it at most one old and one new, the old one going once it is not ready or the
 * new one is available). Only when that step has nothing to do does the rolling update run: without
 * maxSurge, old pods are deleted while at most maxUnavailable nodes are unavailable (old pods that
 * are not available always); with maxSurge, new pods are created next to old ones on up to maxSurge
 * nodes (on nodes whose old pod is unavailable always) and each old pod goes when its node's new
 * pod is available.
 */
public final class DaemonSetPlanner {

  private DaemonSetPlanner() {}

  /** The writes: nodes to create a pod on, pods (by name) to delete. */
  public record Plan(List<String> createOn, List<String> delete) {
    public Plan {
      createOn = List.copyOf(createOn);
      delete = List.copyOf(delete);
    }

    public boolean isEmpty() {
      return createOn.isEmpty() && delete.isEmpty();
    }
  }

  /**
   * @param hash the current revision's {@code controller-revision-hash}
   * @param shouldRun the nodes (by name, all of them) that should run a daemon pod
   * @param podsByNode the set's pods (terminating ones included) by the node they are for
   */
  public static Plan plan(
      DaemonSet ds, String hash, Set<String> shouldRun, Map<String, List<Pod>> podsByNode) {
    int surge = maxSurge(ds, shouldRun.size());
    Plan manage = manage(hash, shouldRun, podsByNode, surge > 0);
    if (!manage.isEmpty() || ds.getMetadata().getDeletionTimestamp() != null) {
      return manage;
    }
    var strategy = ds.getSpec().getUpdateStrategy();
    if (strategy != null && "OnDelete".equals(strategy.getType())) {
      return manage;
    }
    int unavailable = maxUnavailable(ds, shouldRun.size());
    if (!shouldRun.isEmpty() && surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    Map<String, List<Pod>> nodes = new TreeMap<>(podsByNode);
    shouldRun.forEach(n -> nodes.putIfAbsent(n, List.of()));
    return surge == 0
        ? rollWithoutSurge(hash, nodes, unavailable)
        : rollWithSurge(hash, nodes, shouldRun, surge);
  }

  private static Plan manage(
      String hash, Set<String> shouldRun, Map<String, List<Pod>> podsByNode, boolean surge) {
    List<String> create = new ArrayList<>();
    List<String> delete = new ArrayList<>();
    for (String node : new TreeMap<>(Map.copyOf(withNodes(podsByNode, shouldRun))).keySet()) {
      List<Pod> pods = podsByNode.getOrDefault(node, List.of());
      if (!shouldRun.contains(node)) {
        pods.stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .forEach(p -> delete.add(p.getMetadata().getName()));
        continue;
      }
      if (pods.isEmpty()) {
        create.add(node);
        continue;
      }
      List<Pod> running = new ArrayList<>();
      for (Pod p : pods) {
        if (p.getMetadata().getDeletionTimestamp() != null) {
          continue;
        }
        if (p.getStatus() != null && "Failed".equals(p.getStatus().getPhase())) {
          delete.add(p.getMetadata().getName());
          continue;
        }
        running.add(p);
      }
      if (running.size() <= 1) {
        continue;
      }
      running.sort(OLDEST_FIRST);
      if (!surge) {
        running.subList(1, running.size()).forEach(p -> delete.add(p.getMetadata().getName()));
        continue;
      }
      Pod oldestNew = null;
      Pod oldestOld = null;
      for (Pod p : running) {
        if (isNew(p, hash)) {
          if (oldestNew == null) {
            oldestNew = p;
            continue;
          }
        } else if (oldestOld == null) {
          oldestOld = p;
          continue;
        }
        delete.add(p.getMetadata().getName());
      }
      if (oldestNew != null
          && oldestOld != null
          && (!Owners.isReady(oldestOld) || Owners.isReady(oldestNew))) {
        delete.add(oldestOld.getMetadata().getName());
      }
    }
    return new Plan(create, delete);
  }

  private static Map<String, List<Pod>> withNodes(Map<String, List<Pod>> pods, Set<String> nodes) {
    Map<String, List<Pod>> out = new TreeMap<>(pods);
    nodes.forEach(n -> out.putIfAbsent(n, List.of()));
    return out;
  }

  /** The node's one new and one old non-terminating pod; {@code null} when it has more. */
  private record OnNode(@Nullable Pod newPod, @Nullable Pod oldPod) {}

  private static @Nullable OnNode onNode(List<Pod> pods, String hash) {
    Pod newPod = null;
    Pod oldPod = null;
    for (Pod p : pods) {
      if (p.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (isNew(p, hash)) {
        if (newPod != null) {
          return null;
        }
        newPod = p;
      } else {
        if (oldPod != null) {
          return null;
        }
        oldPod = p;
      }
    }
    return new OnNode(newPod, oldPod);
  }

  private static Plan rollWithoutSurge(String hash, Map<String, List<Pod>> nodes, int max) {
    int unavailable = 0;
    List<String> replace = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    for (Map.Entry<String, List<Pod>> e : nodes.entrySet()) {
      OnNode on = onNode(e.getValue(), hash);
      if (on == null || (on.newPod() == null) == (on.oldPod() == null)) {
        unavailable++; // the manage step sorts this node out
      } else if (on.newPod() != null) {
        if (!Owners.isReady(on.newPod())) {
          unavailable++;
        }
      } else if (!Owners.isReady(on.oldPod())) {
        replace.add(on.oldPod().getMetadata().getName());
        unavailable++;
      } else if (unavailable < max) {
        candidates.add(on.oldPod().getMetadata().getName());
      }
    }
    int take = Math.min(Math.max(max - unavailable, 0), candidates.size());
    replace.addAll(candidates.subList(0, take));
    return new Plan(List.of(), replace);
  }

  private static Plan rollWithSurge(
      String hash, Map<String, List<Pod>> nodes, Set<String> shouldRun, int maxSurge) {
    List<String> delete = new ArrayList<>();
    List<String> notRunHere = new ArrayList<>();
    List<String> allowed = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    int surging = 0;
    int available = 0;
    for (Map.Entry<String, List<Pod>> e : nodes.entrySet()) {
      String node = e.getKey();
      OnNode on = onNode(e.getValue(), hash);
      if (on == null) {
        surging++;
        continue;
      }
      Pod counted = on.oldPod() != null ? on.oldPod() : on.newPod();
      if (counted != null && Owners.isReady(counted)) {
        available++;
      }
      if (on.oldPod() == null) {
        continue;
      }
      if (on.newPod() == null) {
        if (!Owners.isReady(on.oldPod())) {
          if (!shouldRun.contains(node)) {
            delete.add(on.oldPod().getMetadata().getName());
          } else {
            allowed.add(node);
          }
        } else if (!shouldRun.contains(node)) {
          notRunHere.add(on.oldPod().getMetadata().getName());
        } else if (surging < maxSurge) {
          candidates.add(node);
        }
      } else if (!Owners.isReady(on.newPod())) {
        surging++;
      } else {
        delete.add(on.oldPod().getMetadata().getName());
      }
    }
    int deletable = Math.min(available - shouldRun.size(), notRunHere.size());
    if (deletable > 0) {
      delete.addAll(notRunHere.subList(0, deletable));
    }
    int take = Math.min(Math.max(maxSurge - surging, 0), candidates.size());
    List<String> create = new ArrayList<>(allowed);
    create.addAll(candidates.subList(0, take));
    return new Plan(create, delete);
  }

  /** {@code util.SurgeCount}: maxSurge of desiredNumberScheduled, rounded up; 0 when unset. */
  static int maxSurge(DaemonSet ds, int desired) {
    var ru = rollingUpdate(ds);
    return ru == null || ru.getMaxSurge() == null
        ? 0
        : RollingMath.resolve(ru.getMaxSurge(), desired, true, "0");
  }

  /** {@code util.UnavailableCount}: maxUnavailable (default 1) of desired, rounded up. */
  static int maxUnavailable(DaemonSet ds, int desired) {
    var strategy = ds.getSpec().getUpdateStrategy();
    if (strategy != null
        && strategy.getType() != null
        && !"RollingUpdate".equals(strategy.getType())) {
      return 0;
    }
    var ru = rollingUpdate(ds);
    return RollingMath.resolve(ru == null ? null : ru.getMaxUnavailable(), desired, true, "1");
  }

  private static @Nullable RollingUpdateDaemonSet rollingUpdate(DaemonSet ds) {
    var strategy = ds.getSpec().getUpdateStrategy();
    return strategy == null ? null : strategy.getRollingUpdate();
  }

  static boolean isNew(Pod p, String hash) {
    return p.getMetadata().getLabels() != null
        && Objects.equals(hash, p.getMetadata().getLabels().get(Revisions.HASH_LABEL));
  }

  /** {@code podByCreationTimestampAndPhase}: scheduled first, then oldest, then name. */
  static final Comparator<Pod> OLDEST_FIRST =
      Comparator.comparing(
              (Pod p) -> p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty())
          .thenComparing(p -> Objects.toString(p.getMetadata().getCreationTimestamp(), ""))
          .thenComparing(p -> p.getMetadata().getName());
}
