package dev.podpath.kube.workload;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Deployment controller's decision as a pure function: which ReplicaSet is new (its template
 * equals the Deployment's), create it if missing (named {@code <deploy>-<hash>}), and how to scale
 * new and old sets: RollingUpdate within maxSurge/maxUnavailable (new scaled up to at most
 * replicas+maxSurge pods in total, old scaled down while at least replicas-maxUnavailable stay
 * available, unhealthy old pods first), or Recreate (old to zero, then new); old sets beyond {@code
 * revisionHistoryLimit} are deleted.
 */
public final class DeploymentPlanner {

  public static final String REVISION = "deployment.kubernetes.io/revision";

  /** Earlier revisions of a set that became new again (a rollback), comma-separated. */
  public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";

  public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

  /** Deployment annotations never copied onto its ReplicaSets. */
  private static final java.util.Set<String> NOT_COPIED =
      java.util.Set.of(
          "kubectl.kubernetes.io/last-applied-configuration",
          REVISION,
          REVISION_HISTORY,
          DESIRED_REPLICAS,
          MAX_REPLICAS,
          "deprecated.deployment.rollback.to");

  /** The revision-history annotation's length limit (the controller's 2000 characters). */
  private static final int MAX_HISTORY_CHARS = 2000;

  /**
   * The writes: a new ReplicaSet, the existing new set with its revision annotations brought up to
   * date (it became new again: a rollback or a reverted template), new replica counts by set name,
   * sets to delete.
   */
  public record Plan(
      Optional<ReplicaSet> create,
      Optional<ReplicaSet> revise,
      Map<String, Integer> scale,
      List<String> delete) {}

  private DeploymentPlanner() {}

  public static Plan plan(Deployment d, List<ReplicaSet> owned) {
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    PodTemplateSpec template = d.getSpec().getTemplate();
    List<ReplicaSet> sets = owned.stream().sorted(OLDEST_FIRST).toList();
    ReplicaSet current =
        sets.stream()
            .filter(rs -> TemplateHash.sameTemplate(rs.getSpec().getTemplate(), template))
            .findFirst()
            .orElse(null);
    List<ReplicaSet> old = sets.stream().filter(rs -> rs != current).toList();
    Map<String, Integer> scale = new LinkedHashMap<>();
    Optional<ReplicaSet> create = Optional.empty();
    Optional<ReplicaSet> revise =
        current == null ? Optional.empty() : revised(d, current, maxRevision(old) + 1);
    boolean recreate =
        d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());
    if (recreate) {
      int oldActive = 0;
      for (ReplicaSet rs : old) {
        if (spec(rs) > 0) {
          scale.put(rs.getMetadata().getName(), 0);
        }
        oldActive +=
            rs.getStatus() == null || rs.getStatus().getReplicas() == null
                ? 0
                : rs.getStatus().getReplicas();
      }
      int target = scale.isEmpty() && oldActive == 0 ? replicas : 0;
      if (current == null) {
        create = Optional.of(newSet(d, sets, target));
      } else if (spec(current) != target && scale.isEmpty() && oldActive == 0) {
        scale.put(current.getMetadata().getName(), target);
      }
    } else {
      var ru =
          d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
      int[] su =
          RollingMath.surgeAndUnavailable(
              ru == null ? null : ru.getMaxSurge(),
              ru == null ? null : ru.getMaxUnavailable(),
              replicas);
      int total = sets.stream().mapToInt(DeploymentPlanner::spec).sum();
      int newSpec = current == null ? 0 : spec(current);
      int wanted = newSpec;
      if (newSpec > replicas) {
        wanted = replicas;
      } else if (newSpec < replicas) {
        int maxTotal = replicas + su[0];
        wanted = newSpec + Math.max(0, Math.min(maxTotal - total, replicas - newSpec));
      }
      if (current == null) {
        create = Optional.of(newSet(d, sets, old.isEmpty() ? replicas : wanted));
      } else if (wanted != newSpec) {
        scale.put(current.getMetadata().getName(), wanted);
      }
      scaleDownOld(replicas, su[1], current, old, scale);
    }
    List<String> delete = DeploymentController.rolloutComplete(d) ? cleanup(d, old) : List.of();
    return new Plan(create, revise, scale, delete);
  }

  /**
   * {@code cleanupDeployment}: of the old sets (oldest revision first), as many as exceed {@code
   * revisionHistoryLimit} are deleted, skipping any that still has or wants pods.
   */
  private static List<String> cleanup(Deployment d, List<ReplicaSet> old) {
    int limit =
        d.getSpec().getRevisionHistoryLimit() == null ? 10 : d.getSpec().getRevisionHistoryLimit();
    List<ReplicaSet> alive =
        old.stream().filter(rs -> rs.getMetadata().getDeletionTimestamp() == null).toList();
    List<String> delete = new ArrayList<>();
    for (int i = 0; i < alive.size() - limit; i++) {
      ReplicaSet rs = alive.get(i);
      long observed =
          rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null
              ? 0
              : rs.getStatus().getObservedGeneration();
      long generation =
          rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
      if (active(rs) == 0 && spec(rs) == 0 && generation <= observed) {
        delete.add(rs.getMetadata().getName());
      }
    }
    return delete;
  }

  /**
   * {@code SetNewReplicaSetAnnotations} for a set that exists: the Deployment's annotations copied,
   * the revision raised to {@code newRevision} when lower (the old one appended to the
   * revision-history annotation); empty when nothing changes.
   */
  static Optional<ReplicaSet> revised(Deployment d, ReplicaSet current, long newRevision) {
    Map<String, String> ann =
        new TreeMap<>(
            current.getMetadata().getAnnotations() == null
                ? Map.of()
                : current.getMetadata().getAnnotations());
    boolean changed = copyAnnotations(d, ann);
    String oldText = ann.get(REVISION);
    long old;
    try {
      old = oldText == null ? 0 : Long.parseLong(oldText);
    } catch (NumberFormatException e) {
      return changed ? Optional.of(withAnnotations(current, ann)) : Optional.empty();
    }
    if (old < newRevision) {
      ann.put(REVISION, Long.toString(newRevision));
      changed = true;
      if (oldText != null) {
        String history = ann.getOrDefault(REVISION_HISTORY, "");
        if (history.isEmpty()) {
          ann.put(REVISION_HISTORY, oldText);
        } else {
          List<String> parts = new ArrayList<>(List.of(history.split(",", -1)));
          int total = history.length() + oldText.length() + 1;
          while (total > MAX_HISTORY_CHARS && !parts.isEmpty()) {
            total -= parts.removeFirst().length() + 1;
          }
          if (total <= MAX_HISTORY_CHARS) {
            parts.add(oldText);
            ann.put(REVISION_HISTORY, String.join(",", parts));
          }
        }
      }
    }
    return changed ? Optional.of(withAnnotations(current, ann)) : Optional.empty();
  }

  private static ReplicaSet withAnnotations(ReplicaSet rs, Map<String, String> ann) {
    return new ReplicaSetBuilder(rs).editMetadata().withAnnotations(ann).endMetadata().build();
  }

  /** Copies the Deployment's annotations (but the controller's own) into {@code ann}. */
  private static boolean copyAnnotations(Deployment d, Map<String, String> ann) {
    boolean changed = false;
    if (d.getMetadata().getAnnotations() != null) {
      for (Map.Entry<String, String> e :
          new TreeMap<>(d.getMetadata().getAnnotations()).entrySet()) {
        if (!NOT_COPIED.contains(e.getKey()) && !e.getValue().equals(ann.get(e.getKey()))) {
          ann.put(e.getKey(), e.getValue());
          changed = true;
        }
      }
    }
    return changed;
  }

  private static long maxRevision(List<ReplicaSet> sets) {
    return sets.stream().mapToLong(DeploymentPlanner::revision).max().orElse(0);
  }

  /** maxSurge of {@code d} resolved against its replicas (0 for Recreate). */
  static int maxSurge(Deployment d) {
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    if (d.getSpec().getStrategy() != null
        && "Recreate".equals(d.getSpec().getStrategy().getType())) {
      return 0;
    }
    var ru =
        d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    return RollingMath.surgeAndUnavailable(
        ru == null ? null : ru.getMaxSurge(), ru == null ? null : ru.getMaxUnavailable(), replicas)[
        0];
  }

  private static void scaleDownOld(
      int replicas,
      int maxUnavailable,
      ReplicaSet current,
      List<ReplicaSet> old,
      Map<String, Integer> scale) {
    int oldCount = old.stream().mapToInt(DeploymentPlanner::spec).sum();
    if (oldCount == 0) {
      return;
    }
    int all =
        oldCount
            + (current == null
                ? 0
                : scale.getOrDefault(current.getMetadata().getName(), spec(current)));
    int minAvailable = replicas - maxUnavailable;
    int newUnavailable = current == null ? 0 : spec(current) - available(current);
    int maxScaledDown = all - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return;
    }
    Map<String, Integer> now = new TreeMap<>();
    old.forEach(rs -> now.put(rs.getMetadata().getName(), spec(rs)));
    for (ReplicaSet rs : old) {
      if (maxScaledDown <= 0) {
        break;
      }
      int unhealthy = spec(rs) - available(rs);
      int cut = Math.min(Math.max(unhealthy, 0), maxScaledDown);
      if (cut > 0) {
        now.put(rs.getMetadata().getName(), spec(rs) - cut);
        maxScaledDown -= cut;
      }
    }
    int availableAll =
        old.stream().mapToInt(DeploymentPlanner::available).sum()
            + (current == null ? 0 : available(current));
    int canRemove = Math.min(availableAll - minAvailable, maxScaledDown);
    for (ReplicaSet rs : old) {
      if (canRemove <= 0) {
        break;
      }
      int cur = now.get(rs.getMetadata().getName());
      int cut = Math.min(cur, canRemove);
      now.put(rs.getMetadata().getName(), cur - cut);
      canRemove -= cut;
    }
    for (ReplicaSet rs : old) {
      int n = now.get(rs.getMetadata().getName());
      if (n != spec(rs)) {
        scale.put(rs.getMetadata().getName(), n);
      }
    }
  }

  private static ReplicaSet newSet(Deployment d, List<ReplicaSet> existing, int replicas) {
    int collisions =
        d.getStatus() == null || d.getStatus().getCollisionCount() == null
            ? 0
            : d.getStatus().getCollisionCount();
    String hash = TemplateHash.of(d.getSpec().getTemplate(), collisions);
    long revision = 1 + maxRevision(existing);
    Map<String, String> annotations = new TreeMap<>();
    copyAnnotations(d, annotations);
    int replicasWanted = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    annotations.put(REVISION, Long.toString(revision));
    annotations.put(DESIRED_REPLICAS, Integer.toString(replicasWanted));
    annotations.put(MAX_REPLICAS, Integer.toString(replicasWanted + maxSurge(d)));
    PodTemplateSpec template =
        new PodTemplateSpecBuilder(d.getSpec().getTemplate())
            .editOrNewMetadata()
            .addToLabels(TemplateHash.LABEL, hash)
            .endMetadata()
            .build();
    LabelSelector selector =
        new LabelSelectorBuilder(d.getSpec().getSelector())
            .addToMatchLabels(TemplateHash.LABEL, hash)
            .build();
    Map<String, String> labels = new TreeMap<>(template.getMetadata().getLabels());
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(d.getMetadata().getName() + "-" + hash)
        .withNamespace(d.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(Owners.controllerRef(d))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withSelector(selector)
        .withTemplate(template)
        .withMinReadySeconds(d.getSpec().getMinReadySeconds())
        .endSpec()
        .build();
  }

  static final Comparator<ReplicaSet> OLDEST_FIRST =
      Comparator.comparingLong(DeploymentPlanner::revision)
          .thenComparing(rs -> rs.getMetadata().getName());

  static long revision(ReplicaSet rs) {
    var ann = rs.getMetadata().getAnnotations();
    try {
      return ann == null || !ann.containsKey(REVISION) ? 0 : Long.parseLong(ann.get(REVISION));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static int spec(ReplicaSet rs) {
    return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
  }

  static int available(ReplicaSet rs) {
    return rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null
        ? 0
        : rs.getStatus().getAvailableReplicas();
  }

  static int active(ReplicaSet rs) {
    return rs.getStatus() == null || rs.getStatus().getReplicas() == null
        ? 0
        : rs.getStatus().getReplicas();
  }
}
