package dev.podpath.kube.workload;

import dev.podpath.kube.io.Json;
import dev.podpath.kube.store.ApiException;
import dev.podpath.kube.store.ApiStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * ControllerRef semantics ({@code pkg/controller/controller_ref_manager.go}): which objects an
 * owner (ReplicaSet, Deployment, …) claims. An object controlled by the owner stays its own while
 * the owner's selector matches it and is released (its controller reference removed) when it no
 * longer does, unless the owner is being deleted; an orphan (no controller reference) that matches
 * and is not being deleted is adopted (a controller reference with {@code blockOwnerDeletion} is
 * added), unless the owner is being deleted; objects controlled by someone else are ignored.
 */
public final class ControllerRefs {

  private ControllerRefs() {}

  /** What claiming decided: the objects the owner now has, and the writes that makes. */
  public record Claim<T extends HasMetadata>(List<T> owned, List<T> adopt, List<T> release) {
    public Claim {
      owned = List.copyOf(owned);
      adopt = List.copyOf(adopt);
      release = List.copyOf(release);
    }
  }

  /** The pure decision for {@code candidates} (objects of the owner's namespace). */
  public static <T extends HasMetadata> Claim<T> claim(
      HasMetadata owner, Predicate<T> matches, List<T> candidates) {
    boolean ownerDeleting = owner.getMetadata().getDeletionTimestamp() != null;
    List<T> owned = new ArrayList<>();
    List<T> adopt = new ArrayList<>();
    List<T> release = new ArrayList<>();
    for (T o : candidates) {
      Optional<OwnerReference> ref = controllerRef(o);
      if (ref.isPresent()) {
        if (!Objects.equals(ref.get().getUid(), owner.getMetadata().getUid())) {
          continue; // someone else's
        }
        if (matches.test(o)) {
          owned.add(o);
        } else if (!ownerDeleting) {
          release.add(o);
        }
        continue;
      }
      if (ownerDeleting
          || !matches.test(o)
          || o.getMetadata().getDeletionTimestamp() != null
          || !Objects.equals(o.getMetadata().getNamespace(), owner.getMetadata().getNamespace())) {
        continue;
      }
      adopt.add(o);
      owned.add(o);
    }
    return new Claim<>(owned, adopt, release);
  }

  /** Claims and writes: adoptions and releases go to the store; returns the owned objects. */
  public static <T extends HasMetadata> List<T> claimAndApply(
      ApiStore store, HasMetadata owner, Predicate<T> matches, List<T> candidates) {
    Claim<T> claim = claim(owner, matches, candidates);
    List<T> owned = new ArrayList<>(claim.owned());
    for (T o : claim.adopt()) {
      T adopted = store.update(adopted(o, owner));
      owned.set(owned.indexOf(o), adopted);
    }
    for (T o : claim.release()) {
      try {
        store.update(released(o, owner));
      } catch (ApiException e) {
        if (e.reason() != ApiException.Reason.NOT_FOUND) {
          throw e;
        }
      }
    }
    return owned;
  }

  /** The controller reference of {@code o}, if any. */
  public static Optional<OwnerReference> controllerRef(HasMetadata o) {
    return o.getMetadata().getOwnerReferences().stream()
        .filter(r -> Boolean.TRUE.equals(r.getController()))
        .findFirst();
  }

  /**
   * A copy of {@code o} with a controller reference to {@code owner} appended (the adopt patch).
   */
  public static <T extends HasMetadata> T adopted(T o, HasMetadata owner) {
    T copy = Json.copy(o);
    List<OwnerReference> refs = new ArrayList<>(copy.getMetadata().getOwnerReferences());
    refs.add(Owners.controllerRef(owner));
    copy.getMetadata().setOwnerReferences(refs);
    return copy;
  }

  /** A copy of {@code o} without its references to {@code owner}'s uid (the release patch). */
  public static <T extends HasMetadata> T released(T o, HasMetadata owner) {
    T copy = Json.copy(o);
    List<OwnerReference> refs = new ArrayList<>(copy.getMetadata().getOwnerReferences());
    refs.removeIf(r -> Objects.equals(r.getUid(), owner.getMetadata().getUid()));
    copy.getMetadata().setOwnerReferences(refs);
    return copy;
  }
}
