package dev.podpath.kube.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Objects;

/** Controller references and pod states the workload controllers share. */
public final class Owners {

  private Owners() {}

  /** A controller reference to {@code owner} ({@code controller: true, blockOwnerDeletion}). */
  public static OwnerReference controllerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Whether {@code o}'s controller is {@code owner}. */
  public static boolean controlledBy(HasMetadata o, HasMetadata owner) {
    for (OwnerReference r : o.getMetadata().getOwnerReferences()) {
      if (Boolean.TRUE.equals(r.getController())
          && Objects.equals(r.getUid(), owner.getMetadata().getUid())) {
        return true;
      }
    }
    return false;
  }

  /** The objects of {@code all} that {@code owner} controls. */
  public static <T extends HasMetadata> List<T> controlled(List<T> all, HasMetadata owner) {
    return all.stream().filter(o -> controlledBy(o, owner)).toList();
  }

  /** Not terminating and not terminal: counts toward replicas. */
  public static boolean isActive(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return p.getMetadata().getDeletionTimestamp() == null
        && !"Succeeded".equals(phase)
        && !"Failed".equals(phase);
  }

  /** Ready=True (and so available, with minReadySeconds 0). */
  public static boolean isReady(Pod p) {
    if (p.getStatus() == null || p.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : p.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  /** Running phase. */
  public static boolean isRunning(Pod p) {
    return p.getStatus() != null && "Running".equals(p.getStatus().getPhase());
  }
}
