package dev.podpath.kube.nodes;

import dev.podpath.kube.loop.QueueController;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.store.ObjectKey;
import dev.podpath.kube.store.WatchEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The garbage collector (background propagation): when every owner an object names in its {@code
 * ownerReferences} is gone, the object is deleted; deleting a Namespace deletes what it holds.
 * Unlike the real collector, references to owners that were never seen (a partial dump) are left
 * alone rather than collected. Keeps an index of uids and of dependents per owner uid from its
 * watches.
 */
public final class GarbageCollector extends QueueController {

  private final Map<String, ObjectKey> byUid = new HashMap<>();
  private final Map<String, Set<ObjectKey>> dependents = new HashMap<>();

  @Override
  public String name() {
    return "garbage-collector";
  }

  @Override
  protected void watches() {
    for (Kind k : Kind.values()) {
      on(k, this::onEvent);
    }
  }

  private void onEvent(WatchEvent e) {
    HasMetadata o = e.object();
    ObjectKey key = ObjectKey.of(o);
    String uid = o.getMetadata().getUid();
    if (e.type() == WatchEvent.Type.DELETED) {
      byUid.remove(uid);
      Set<ObjectKey> deps = dependents.remove(uid);
      if (deps != null) {
        deps.forEach(d -> queue().add(encode(d)));
      }
      if (key.kind() == Kind.NAMESPACE) {
        queue().add("namespace/" + key.name());
      }
      return;
    }
    byUid.put(uid, key);
    for (OwnerReference r : o.getMetadata().getOwnerReferences()) {
      dependents.computeIfAbsent(r.getUid(), k -> new TreeSet<>()).add(key);
    }
  }

  private static String encode(ObjectKey k) {
    return k.kind().name() + "/" + k.namespace() + "/" + k.name();
  }

  @Override
  public void sync(String key) {
    String[] parts = key.split("/", 3);
    if (parts[0].equals("namespace")) {
      for (Kind k : Kind.values()) {
        if (k.namespaced()) {
          for (HasMetadata o : List.copyOf(store().list(k.type(), parts[1]))) {
            store().delete(ObjectKey.of(o), 0L);
          }
        }
      }
      return;
    }
    ObjectKey k = new ObjectKey(Kind.valueOf(parts[0]), parts[1], parts[2]);
    Optional<HasMetadata> found = store().get(k);
    if (found.isEmpty() || found.get().getMetadata().getOwnerReferences().isEmpty()) {
      return;
    }
    boolean anyOwner =
        found.get().getMetadata().getOwnerReferences().stream()
            .anyMatch(r -> byUid.containsKey(r.getUid()));
    if (!anyOwner && found.get().getMetadata().getDeletionTimestamp() == null) {
      store().delete(k);
    }
  }
}
