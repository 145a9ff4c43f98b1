package dev.podpath.kube.workload;

import dev.podpath.kube.io.Json;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The history of StatefulSets and DaemonSets as ControllerRevision objects ({@code
 * pkg/controller/history}): each distinct pod template is one revision named {@code <owner>-<hash>}
 * (the hash of its data, the patch {@code {"spec":{"template":{…,"$patch": "replace"}}}}), labelled
 * with the template's labels and {@code controller-revision-hash}, owned by the set, numbered 1, 2,
 * …; returning to an earlier template renumbers its revision to the next number instead of creating
 * one.
 */
public final class Revisions {

  public static final String HASH_LABEL = "controller-revision-hash";

  private Revisions() {}

  /** What to write so that {@code update} is the owner's current revision. */
  public record Plan(
      ControllerRevision update,
      Optional<ControllerRevision> create,
      Optional<ControllerRevision> renumber) {}

  /** The data of a revision of {@code template}. */
  public static Map<String, Object> data(PodTemplateSpec template) {
    @SuppressWarnings("unchecked")
    Map<String, Object> tpl = new LinkedHashMap<>(Json.MAPPER.convertValue(template, Map.class));
    tpl.put("$patch", "replace");
    return Map.of("spec", Map.of("template", tpl));
  }

  /** The revision's hash: FNV-32a of its data's JSON, in the API's safe alphabet. */
  public static String hash(Map<String, Object> data) {
    return TemplateHash.encode(Json.write(data).getBytes(StandardCharsets.UTF_8));
  }

  /** The pure decision, from the owner, its template and the revisions it owns. */
  public static Plan plan(
      HasMetadata owner, PodTemplateSpec template, List<ControllerRevision> own) {
    Map<String, Object> data = data(template);
    String dataJson = Json.write(data);
    List<ControllerRevision> sorted = sorted(own);
    ControllerRevision equal = null;
    long maxOther = 0;
    for (ControllerRevision r : sorted) {
      if (Json.write(r.getData()).equals(dataJson)) {
        equal = r; // the last (highest) equal one wins, as FindEqualRevisions' last
      }
    }
    for (ControllerRevision r : sorted) {
      if (r != equal) {
        maxOther = Math.max(maxOther, r.getRevision());
      }
    }
    if (equal == null) {
      ControllerRevision created = revision(owner, template, data, maxOther + 1);
      return new Plan(created, Optional.of(created), Optional.empty());
    }
    if (equal.getRevision() < maxOther + 1) {
      ControllerRevision renumbered =
          new ControllerRevisionBuilder(equal).withRevision(maxOther + 1).build();
      return new Plan(renumbered, Optional.empty(), Optional.of(renumbered));
    }
    return new Plan(equal, Optional.empty(), Optional.empty());
  }

  private static ControllerRevision revision(
      HasMetadata owner, PodTemplateSpec template, Map<String, Object> data, long number) {
    String hash = hash(data);
    Map<String, String> labels =
        new TreeMap<>(
            template.getMetadata() == null || template.getMetadata().getLabels() == null
                ? Map.of()
                : template.getMetadata().getLabels());
    labels.put(HASH_LABEL, hash);
    return new ControllerRevisionBuilder()
        .withNewMetadata()
        .withName(owner.getMetadata().getName() + "-" + hash)
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(owner.getMetadata().getAnnotations())
        .withOwnerReferences(Owners.controllerRef(owner))
        .endMetadata()
        .withData(data)
        .withRevision(number)
        .build();
  }

  /** Revisions in revision order (then name), as {@code history.SortControllerRevisions}. */
  public static List<ControllerRevision> sorted(List<ControllerRevision> revisions) {
    return revisions.stream()
        .sorted(
            Comparator.comparingLong(ControllerRevision::getRevision)
                .thenComparing(r -> r.getMetadata().getName()))
        .toList();
  }

  /**
   * StatefulSet's {@code truncateHistory}: the revisions neither current, nor the update, nor worn
   * by a pod ({@code live}) are history; the oldest beyond {@code limit} of them are deleted.
   */
  public static List<ControllerRevision> truncateStatefulSet(
      List<ControllerRevision> all, Set<String> liveNames, int limit) {
    List<ControllerRevision> history =
        sorted(all).stream().filter(r -> !liveNames.contains(r.getMetadata().getName())).toList();
    return history.size() <= limit ? List.of() : history.subList(0, history.size() - limit);
  }

  /**
   * DaemonSet's {@code cleanupHistory}: of the revisions other than the current one, as many as
   * exceed {@code limit} are deleted oldest first, skipping those a pod still wears ({@code
   * liveHashes}).
   */
  public static List<ControllerRevision> cleanupDaemonSet(
      List<ControllerRevision> old, Set<String> liveHashes, int limit) {
    int toKill = old.size() - limit;
    List<ControllerRevision> out = new ArrayList<>();
    for (ControllerRevision r : sorted(old)) {
      if (toKill <= 0) {
        break;
      }
      String hash =
          r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(HASH_LABEL);
      if (hash != null && liveHashes.contains(hash)) {
        continue;
      }
      out.add(r);
      toKill--;
    }
    return out;
  }

  /** Applies {@code plan}; returns the owner's revisions as they are now (sorted). */
  public static ControllerRevision apply(ApiStore store, Plan plan) {
    plan.create().ifPresent(store::create);
    plan.renumber().ifPresent(store::update);
    return Objects.requireNonNull(plan.update());
  }

  /**
   * Adopts the orphan revisions whose labels the owner's selector matches ({@code
   * adoptOrphanRevisions}) and returns the revisions the owner controls.
   */
  public static List<ControllerRevision> claim(
      ApiStore store, HasMetadata owner, io.fabric8.kubernetes.api.model.LabelSelector selector) {
    var sel = dev.podpath.kube.select.LabelSelectors.fromLabelSelector(selector);
    List<ControllerRevision> candidates =
        store.list(ControllerRevision.class, owner.getMetadata().getNamespace()).stream()
            .filter(
                r ->
                    ControllerRefs.controllerRef(r).isPresent()
                        || sel.matches(
                            r.getMetadata().getLabels() == null
                                ? Map.of()
                                : r.getMetadata().getLabels()))
            .toList();
    var claim = ControllerRefs.claim(owner, r -> true, candidates);
    claim.adopt().forEach(r -> store.update(ControllerRefs.adopted(r, owner)));
    return owned(store, owner);
  }

  /** The revisions {@code owner} controls. */
  public static List<ControllerRevision> owned(ApiStore store, HasMetadata owner) {
    return Owners.controlled(
        store.list(ControllerRevision.class, owner.getMetadata().getNamespace()), owner);
  }

  /** Deletes revisions. */
  public static void delete(ApiStore store, List<ControllerRevision> revisions) {
    revisions.forEach(r -> store.delete(ObjectKey.of(r)));
  }
}
