package dev.podpath.dns.cluster;

import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.Watch;
import dev.podpath.kube.store.WatchEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The cluster as CoreDNS's informers see it, fed by watches on the API store (Namespaces, Services,
 * EndpointSlices, Pods): each event updates the local cache, marks the snapshot stale and tells the
 * listeners, so the DNS server's next answer reflects it. The snapshot is rebuilt lazily, once per
 * burst of events.
 */
public final class StoreFeed implements ClusterFeed, AutoCloseable {

  private final Map<String, Service> services = new TreeMap<>();
  private final Map<String, EndpointSlice> slices = new TreeMap<>();
  private final Map<String, Pod> pods = new TreeMap<>();
  private final Set<String> namespaces = new TreeSet<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final List<Watch> watches = new ArrayList<>();
  private volatile ClusterState snapshot;

  private StoreFeed() {}

  /** Watches {@code store} from a full list onward. */
  public static StoreFeed watch(ApiStore store) {
    StoreFeed feed = new StoreFeed();
    for (Kind kind : List.of(Kind.NAMESPACE, Kind.SERVICE, Kind.ENDPOINT_SLICE, Kind.POD)) {
      feed.watches.add(
          store.watch(
              "coredns",
              kind,
              null,
              Selector.everything(),
              FieldSelector.everything(),
              Optional.empty(),
              feed::onEvent));
    }
    return feed;
  }

  private synchronized void onEvent(WatchEvent e) {
    HasMetadata o = e.object();
    String key = o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    boolean deleted = e.type() == WatchEvent.Type.DELETED;
    switch (o) {
      case Namespace n -> {
        if (deleted) {
          namespaces.remove(n.getMetadata().getName());
        } else {
          namespaces.add(n.getMetadata().getName());
        }
      }
      case Service s -> put(services, key, s, deleted);
      case EndpointSlice s -> put(slices, key, s, deleted);
      case Pod p -> put(pods, key, p, deleted);
      default -> {
        return;
      }
    }
    snapshot = null;
    listeners.forEach(Runnable::run);
  }

  private static <T> void put(Map<String, T> map, String key, T value, boolean deleted) {
    if (deleted) {
      map.remove(key);
    } else {
      map.put(key, value);
    }
  }

  @Override
  public ClusterState current() {
    ClusterState s = snapshot;
    if (s != null) {
      return s;
    }
    synchronized (this) {
      if (snapshot == null) {
        Set<String> known = Set.copyOf(namespaces);
        snapshot =
            new Snapshot(
                List.copyOf(services.values()),
                List.copyOf(slices.values()),
                List.copyOf(pods.values()),
                known::contains,
                true);
      }
      return snapshot;
    }
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {
    watches.forEach(Watch::stop);
  }
}
