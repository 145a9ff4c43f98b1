package dev.podpath.kube.loop;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/** A controller's queue of keys to sync: FIFO, each key at most once while it waits. */
public final class WorkQueue {

  private final ArrayDeque<String> order = new ArrayDeque<>();
  private final Set<String> waiting = new HashSet<>();

  /** Queues {@code key} unless it is already waiting. */
  public void add(String key) {
    if (waiting.add(key)) {
      order.addLast(key);
    }
  }

  /** Queues an object by its key, {@code namespace/name} (as controllers key their queues). */
  public void add(HasMetadata object) {
    add(keyOf(object));
  }

  /** The queue key of an object: {@code namespace/name}, or {@code name} when cluster-scoped. */
  public static String keyOf(HasMetadata object) {
    String ns = object.getMetadata().getNamespace();
    return ns == null || ns.isEmpty()
        ? object.getMetadata().getName()
        : ns + "/" + object.getMetadata().getName();
  }

  boolean isEmpty() {
    return order.isEmpty();
  }

  String take() {
    String key = order.removeFirst();
    waiting.remove(key);
    return key;
  }

  public int size() {
    return order.size();
  }
}
