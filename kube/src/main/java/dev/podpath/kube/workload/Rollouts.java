package dev.podpath.kube.workload;

import dev.podpath.kube.io.Json;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.print.PodTemplateDescriber;
import dev.podpath.kube.store.ApiException;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code kubectl rollout history} and {@code kubectl rollout undo} do (kubectl's {@code
 * polymorphichelpers} history viewers and rollbackers), client side: a Deployment's history is its
 * ReplicaSets by their {@code deployment.kubernetes.io/revision}; a DaemonSet's or StatefulSet's is
 * its ControllerRevisions. Undo writes the chosen revision's pod template back into the object (a
 * Deployment also takes that ReplicaSet's annotations); the controllers do the rest.
 */
public final class Rollouts {

  public static final String CHANGE_CAUSE = "kubernetes.io/change-cause";

  /** Annotations a Deployment keeps, and does not take from a ReplicaSet, on rollback. */
  private static final Set<String> NOT_ROLLED_BACK =
      Set.of(
          "kubectl.kubernetes.io/last-applied-configuration",
          DeploymentPlanner.REVISION,
          DeploymentPlanner.REVISION_HISTORY,
          DeploymentPlanner.DESIRED_REPLICAS,
          DeploymentPlanner.MAX_REPLICAS,
          "deprecated.deployment.rollback.to");

  private Rollouts() {}

  /** A kubectl-side refusal ({@code error: …}); nothing was written. */
  public static final class RolloutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RolloutException(String message) {
      super(message);
    }
  }

  /** One revision: its number, pod template and change cause. */
  private record Revision(long number, PodTemplateSpec template, String changeCause) {}

  /**
   * {@code kubectl rollout history}: with {@code revision} 0 the table {@code REVISION
   * CHANGE-CAUSE} (tab-aligned as kubectl's tabwriter does), else that revision's pod template.
   */
  public static String history(
      ApiStore store, Kind kind, String namespace, String name, long revision) {
    Map<Long, Revision> all = new TreeMap<>();
    for (Revision r : revisions(store, kind, namespace, name)) {
      all.put(r.number(), r);
    }
    if (all.isEmpty()) {
      return "No rollout history found.";
    }
    if (revision > 0) {
      Revision r = all.get(revision);
      if (r == null) {
        throw new RolloutException("unable to find the specified revision");
      }
      return PodTemplateDescriber.describe(r.template());
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"REVISION", "CHANGE-CAUSE"});
    all.values()
        .forEach(
            r ->
                rows.add(
                    new String[] {
                      Long.toString(r.number()),
                      r.changeCause().isEmpty() ? "<none>" : r.changeCause()
                    }));
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0) + 2;
    StringBuilder out = new StringBuilder();
    for (String[] r : rows) {
      out.append(r[0]).append(" ".repeat(width - r[0].length())).append(r[1]).append('\n');
    }
    return out.toString();
  }

  /**
   * {@code kubectl rollout undo [--to-revision=N]}: {@code rolled back}, or {@code skipped rollback
   * (current template already matches revision N)}; 0 means the previous revision.
   */
  public static String undo(ApiStore store, Kind kind, String namespace, String name, long to) {
    return switch (kind) {
      case DEPLOYMENT -> undoDeployment(store, namespace, name, to);
      case DAEMON_SET, STATEFUL_SET -> undoFromRevisions(store, kind, namespace, name, to);
      default ->
          throw new RolloutException(
              "no rollbacker has been implemented for \"" + kind.kind() + "\"");
    };
  }

  private static String undoDeployment(ApiStore store, String namespace, String name, long to) {
    Deployment d = get(store, Deployment.class, Kind.DEPLOYMENT, namespace, name);
    if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
      throw new RolloutException(
          "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume"
              + " deployment/"
              + name
              + "' and try again");
    }
    ReplicaSet target = deploymentRevision(store, d, to);
    if (TemplateHash.sameTemplate(target.getSpec().getTemplate(), d.getSpec().getTemplate())) {
      return "skipped rollback (current template already matches revision " + to + ")";
    }
    Map<String, String> annotations = new TreeMap<>();
    Map<String, String> had = annotations(d);
    for (String k : NOT_ROLLED_BACK) {
      if (had.containsKey(k)) {
        annotations.put(k, had.get(k));
      }
    }
    annotations(target)
        .forEach(
            (k, v) -> {
              if (!NOT_ROLLED_BACK.contains(k)) {
                annotations.put(k, v);
              }
            });
    Deployment next = Json.copy(d);
    next.getSpec().setTemplate(TemplateHash.withoutHash(target.getSpec().getTemplate()));
    next.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
    store.update(next);
    return "rolled back";
  }

  /** kubectl's {@code deploymentRevision}: the set of revision {@code to}, or the previous one. */
  private static ReplicaSet deploymentRevision(ApiStore store, Deployment d, long to) {
    ReplicaSet latest = null;
    long latestRevision = -1;
    ReplicaSet previous = null;
    long previousRevision = -1;
    for (ReplicaSet rs :
        Owners.controlled(store.list(ReplicaSet.class, d.getMetadata().getNamespace()), d)) {
      long v = DeploymentPlanner.revision(rs);
      if (to == 0) {
        if (latestRevision < v) {
          previousRevision = latestRevision;
          previous = latest;
          latestRevision = v;
          latest = rs;
        } else if (previousRevision < v) {
          previousRevision = v;
          previous = rs;
        }
      } else if (to == v) {
        return rs;
      }
    }
    if (to > 0) {
      throw new RolloutException("unable to find specified revision " + to + " in history");
    }
    if (previous == null) {
      throw new RolloutException(
          "no rollout history found for deployment \"" + d.getMetadata().getName() + "\"");
    }
    return previous;
  }

  private static String undoFromRevisions(
      ApiStore store, Kind kind, String namespace, String name, long to) {
    HasMetadata owner = get(store, kind.type(), kind, namespace, name);
    List<ControllerRevision> history = Revisions.sorted(Revisions.owned(store, owner));
    ControllerRevision target = null;
    if (to == 0) {
      if (history.size() > 1) {
        target = history.get(history.size() - 2);
      }
    } else {
      target = history.stream().filter(r -> r.getRevision() == to).findFirst().orElse(null);
    }
    if (target == null) {
      throw new RolloutException("unable to find specified revision " + to + " in history");
    }
    PodTemplateSpec template = template(target);
    HasMetadata next = Json.copy(owner);
    PodTemplateSpec current;
    if (next instanceof DaemonSet ds) {
      current = ds.getSpec().getTemplate();
      ds.getSpec().setTemplate(template);
    } else {
      StatefulSet set = (StatefulSet) next;
      current = set.getSpec().getTemplate();
      set.getSpec().setTemplate(template);
    }
    if (Json.write(Revisions.data(current)).equals(Json.write(target.getData()))) {
      return "skipped rollback (current template already matches revision " + to + ")";
    }
    store.update(next);
    return "rolled back";
  }

  private static List<Revision> revisions(
      ApiStore store, Kind kind, String namespace, String name) {
    List<Revision> out = new ArrayList<>();
    switch (kind) {
      case DEPLOYMENT -> {
        Deployment d = get(store, Deployment.class, kind, namespace, name);
        for (ReplicaSet rs : Owners.controlled(store.list(ReplicaSet.class, namespace), d)) {
          long v = DeploymentPlanner.revision(rs);
          PodTemplateSpec t = Json.copy(rs.getSpec().getTemplate());
          String cause = annotations(rs).getOrDefault(CHANGE_CAUSE, "");
          if (!cause.isEmpty()) {
            Map<String, String> ann =
                t.getMetadata().getAnnotations() == null
                    ? new TreeMap<>()
                    : new TreeMap<>(t.getMetadata().getAnnotations());
            ann.put(CHANGE_CAUSE, cause);
            t.getMetadata().setAnnotations(ann);
          }
          out.add(new Revision(v, t, cause));
        }
      }
      case DAEMON_SET, STATEFUL_SET -> {
        HasMetadata owner = get(store, kind.type(), kind, namespace, name);
        for (ControllerRevision r : Revisions.owned(store, owner)) {
          out.add(
              new Revision(
                  r.getRevision(), template(r), annotations(r).getOrDefault(CHANGE_CAUSE, "")));
        }
      }
      default ->
          throw new RolloutException(
              "no history viewer has been implemented for \"" + kind.kind() + "\"");
    }
    return out;
  }

  /** The pod template a ControllerRevision's data restores. */
  @SuppressWarnings("unchecked")
  static PodTemplateSpec template(ControllerRevision r) {
    Map<String, Object> data = Json.MAPPER.convertValue(r.getData(), Map.class);
    Map<String, Object> spec = (Map<String, Object>) data.getOrDefault("spec", Map.of());
    Map<String, Object> tpl =
        new TreeMap<>((Map<String, Object>) spec.getOrDefault("template", Map.of()));
    tpl.remove("$patch");
    return Json.MAPPER.convertValue(tpl, PodTemplateSpec.class);
  }

  private static Map<String, String> annotations(HasMetadata o) {
    return o.getMetadata().getAnnotations() == null ? Map.of() : o.getMetadata().getAnnotations();
  }

  private static <T extends HasMetadata> T get(
      ApiStore store, Class<T> type, Kind kind, String namespace, String name) {
    return store
        .get(type, namespace, name)
        .orElseThrow(() -> ApiException.notFound(ObjectKey.of(kind, namespace, name)));
  }
}
