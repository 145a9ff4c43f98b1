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

  /** The writes: a new ReplicaSet, new replica counts by set name, sets to delete. */
  public record Plan(
      Optional<ReplicaSet> create, Map<String, Integer> scale, List<String> delete) {}

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
    List<String> delete = new ArrayList<>();
    int limit =
        d.getSpec().getRevisionHistoryLimit() == null ? 10 : d.getSpec().getRevisionHistoryLimit();
    List<ReplicaSet> idle = old.stream().filter(rs -> spec(rs) == 0 && active(rs) == 0).toList();
    for (int i = 0; i < idle.size() - limit; i++) {
      delete.add(idle.get(i).getMetadata().getName());
    }
    return new Plan(create, scale, delete);
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
    long revision = 1 + existing.stream().mapToLong(DeploymentPlanner::revision).max().orElse(0);
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
        .addToAnnotations(REVISION, Long.toString(revision))
        .addToAnnotations(
            "deployment.kubernetes.io/desired-replicas",
            String.valueOf(d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas()))
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
