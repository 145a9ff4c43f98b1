package dev.podpath.kube.store;

import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One open watch: a kind, an optional namespace, label and field selectors, and the handler that
 * receives its events. It counts what the API server would have sent it: events and bytes. An
 * object that stops matching the selectors arrives as DELETED, one that starts as ADDED, as the
 * watch cache does.
 */
public final class Watch {

  private final String name;
  private final Kind kind;
  private final Filter filter;
  private final Consumer<WatchEvent> handler;
  private long events;
  private long bytes;
  private boolean open = true;

  Watch(
      String name,
      Kind kind,
      @Nullable String namespace,
      Selector labels,
      FieldSelector fields,
      Consumer<WatchEvent> handler) {
    this.name = name;
    this.kind = kind;
    this.filter = new Filter(namespace, labels, fields);
    this.handler = handler;
  }

  /** Who watches (for reports): e.g. {@code kube-proxy/worker}. */
  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  /** The traffic this watch has received so far. */
  public WatchStats stats() {
    return new WatchStats(events, bytes);
  }

  public boolean isOpen() {
    return open;
  }

  /** Stops the watch; no more events arrive. */
  public void stop() {
    open = false;
  }

  /** What a watch selects: namespace (null: all), labels and fields. Equal filters match alike. */
  record Filter(@Nullable String namespace, Selector labels, FieldSelector fields) {

    boolean matches(io.fabric8.kubernetes.api.model.HasMetadata object) {
      if (namespace != null && !namespace.equals(object.getMetadata().getNamespace())) {
        return false;
      }
      var objLabels = object.getMetadata().getLabels();
      return labels.matches(objLabels == null ? java.util.Map.of() : objLabels)
          && (fields.terms().isEmpty() || fields.matches(Fields.of(object)));
    }
  }

  Filter filter() {
    return filter;
  }

  boolean matches(io.fabric8.kubernetes.api.model.HasMetadata object) {
    return filter.matches(object);
  }

  void deliver(WatchEvent event) {
    if (!open) {
      return;
    }
    events++;
    bytes += event.bytes();
    handler.accept(event);
  }
}
