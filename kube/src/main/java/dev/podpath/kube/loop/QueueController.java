package dev.podpath.kube.loop;

import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.WatchEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The watch → queue half that kube-controller-manager's controllers share (their informers' event
 * handlers): {@link #start} keeps the store and queue and calls {@link #watches()}, where a
 * controller opens its watches with {@link #on}, {@link #queueEach} and {@link #queueControllerOf}.
 * Subclasses implement only what differs: which watches, and {@link #sync}.
 */
public abstract class QueueController implements Controller {

  private @Nullable ApiStore store;
  private @Nullable WorkQueue queue;

  @Override
  public final void start(ApiStore store, WorkQueue queue) {
    this.store = store;
    this.queue = queue;
    watches();
  }

  /** Opens this controller's watches (called once, from {@link #start}). */
  protected abstract void watches();

  protected final ApiStore store() {
    return Objects.requireNonNull(store, "controller not started");
  }

  protected final WorkQueue queue() {
    return Objects.requireNonNull(queue, "controller not started");
  }

  /** Watches every object of {@code kind} in all namespaces from a list; events to handler. */
  protected final void on(Kind kind, Consumer<WatchEvent> handler) {
    on(kind, Selector.everything(), handler);
  }

  /** Watches the objects of {@code kind} whose labels match, in all namespaces. */
  protected final void on(Kind kind, Selector labels, Consumer<WatchEvent> handler) {
    store()
        .watch(name(), kind, null, labels, FieldSelector.everything(), Optional.empty(), handler);
  }

  /** Queues every object of {@code kind} under its own key on each event. */
  protected final void queueEach(Kind kind) {
    on(kind, e -> queue().add(e.object()));
  }

  /**
   * Queues, for each event on an object of {@code kind}, the {@code ownerKind} object named by its
   * controller reference ({@code ownerReferences[].controller: true}), in the object's namespace.
   */
  protected final void queueControllerOf(Kind kind, String ownerKind) {
    on(kind, e -> controllerOf(e.object(), ownerKind).ifPresent(queue()::add));
  }

  /**
   * Queues, for each event on an object of {@code kind}, its {@code ownerKind} controller; for an
   * orphan (no controller reference) every {@code ownerKind} object of its namespace whose selector
   * matches its labels, which may adopt it (the workload controllers' {@code addPod}/{@code
   * getPodReplicaSets} and kin).
   */
  protected final <O extends HasMetadata> void queueControllerOrMatching(
      Kind kind, Kind ownerKind, Function<O, @Nullable LabelSelector> selectorOf) {
    on(
        kind,
        e -> {
          Optional<String> owner = controllerOf(e.object(), ownerKind.kind());
          if (owner.isPresent()) {
            queue().add(owner.get());
            return;
          }
          boolean hasController =
              e.object().getMetadata().getOwnerReferences().stream()
                  .anyMatch(r -> Boolean.TRUE.equals(r.getController()));
          if (hasController || e.type() == WatchEvent.Type.DELETED) {
            return;
          }
          Map<String, String> labels =
              e.object().getMetadata().getLabels() == null
                  ? Map.of()
                  : e.object().getMetadata().getLabels();
          @SuppressWarnings("unchecked")
          Class<O> type = (Class<O>) ownerKind.type();
          for (O o : store().list(type, e.object().getMetadata().getNamespace())) {
            if (LabelSelectors.matches(selectorOf.apply(o), labels)) {
              queue().add(o);
            }
          }
        });
  }

  /** The queue key of the {@code ownerKind} controller of {@code o}, if it has one. */
  protected static Optional<String> controllerOf(HasMetadata o, String ownerKind) {
    for (OwnerReference r : o.getMetadata().getOwnerReferences()) {
      if (ownerKind.equals(r.getKind()) && Boolean.TRUE.equals(r.getController())) {
        return Optional.of(o.getMetadata().getNamespace() + "/" + r.getName());
      }
    }
    return Optional.empty();
  }

  /** A namespaced key split into namespace and name. */
  protected record NamespacedName(String namespace, String name) {

    public static NamespacedName of(String key) {
      String[] parts = key.split("/", 2);
      if (parts.length != 2) {
        throw new IllegalArgumentException("not a namespace/name key: " + key);
      }
      return new NamespacedName(parts[0], parts[1]);
    }

    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }
}
