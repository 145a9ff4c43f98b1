package dev.podpath.dns.cluster;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A {@link ClusterFeed} over a set of API objects that can be applied and deleted, as a watch
 * delivers them. Until the control plane's EndpointSlice controllers run here, it derives the
 * slices a cluster would have: v1 Endpoints are mirrored ({@link EndpointsMirror}) and Services
 * with a selector and no slices get slices from the selected Pods ({@link SelectorSlices}).
 * Namespaces exist when declared, when an object lives in them, and for the four built-in ones.
 */
public final class ObjectCluster implements ClusterFeed {

  private static final Set<String> BUILT_IN_NAMESPACES =
      Set.of("default", "kube-system", "kube-public", "kube-node-lease");

  private final Map<String, Service> services = new TreeMap<>();
  private final Map<String, EndpointSlice> slices = new TreeMap<>();
  private final Map<String, Endpoints> endpoints = new TreeMap<>();
  private final Map<String, Pod> pods = new TreeMap<>();
  private final Set<String> namespaces = new TreeSet<>(BUILT_IN_NAMESPACES);
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Predicate<String> namespaceRule;
  private boolean synced = true;
  private volatile ClusterState current;

  private ObjectCluster(Predicate<String> namespaceRule) {
    this.namespaceRule = namespaceRule;
    this.current = build();
  }

  /** An empty cluster whose namespaces are those declared or used by its objects. */
  public static ObjectCluster create() {
    return new ObjectCluster(ns -> false);
  }

  /** An empty cluster where {@code extraNamespaces} also counts as existing (test fakes). */
  public static ObjectCluster withNamespaces(Predicate<String> extraNamespaces) {
    return new ObjectCluster(extraNamespaces);
  }

  /** A cluster holding {@code objects} (other kinds are ignored). */
  public static ObjectCluster of(Collection<? extends HasMetadata> objects) {
    var cluster = create();
    cluster.applyAll(objects);
    return cluster;
  }

  /** Adds or replaces every object, then notifies listeners once. */
  public synchronized void applyAll(Collection<? extends HasMetadata> objects) {
    objects.forEach(this::put);
    changed();
  }

  /** Adds or replaces one object. */
  public void apply(HasMetadata object) {
    applyAll(List.of(object));
  }

  /** Removes the object of that kind, namespace and name, if present. */
  public synchronized void delete(String kind, String namespace, String name) {
    String key = namespace + "/" + name;
    switch (kind) {
      case "Service" -> services.remove(key);
      case "EndpointSlice" -> slices.remove(key);
      case "Endpoints" -> endpoints.remove(key);
      case "Pod" -> pods.remove(key);
      case "Namespace" -> namespaces.remove(name);
      default -> {
        return;
      }
    }
    changed();
  }

  /** Marks the caches as (not) synced; unsynced caches answer SERVFAIL for unknown names. */
  public synchronized void setSynced(boolean synced) {
    this.synced = synced;
    changed();
  }

  @Override
  public ClusterState current() {
    return current;
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  private void put(HasMetadata object) {
    String ns =
        object.getMetadata().getNamespace() == null
            ? "default"
            : object.getMetadata().getNamespace();
    String key = ns + "/" + object.getMetadata().getName();
    switch (object) {
      case Namespace n -> namespaces.add(n.getMetadata().getName());
      case Service s -> services.put(key, withNamespace(s, ns));
      case EndpointSlice s -> slices.put(key, s);
      case Endpoints e -> endpoints.put(key, e);
      case Pod p -> pods.put(key, p);
      default -> {
        return;
      }
    }
    if (!(object instanceof Namespace)) {
      namespaces.add(ns);
    }
  }

  private static Service withNamespace(Service s, String ns) {
    if (s.getMetadata().getNamespace() == null) {
      s.getMetadata().setNamespace(ns);
    }
    return s;
  }

  private void changed() {
    current = build();
    listeners.forEach(Runnable::run);
  }

  private ClusterState build() {
    List<EndpointSlice> all = new ArrayList<>(slices.values());
    Set<String> covered = new TreeSet<>();
    for (EndpointSlice s : all) {
      covered.add(s.getMetadata().getNamespace() + "/" + EndpointsMirror.serviceName(s));
    }
    for (var e : endpoints.entrySet()) {
      if (covered.add(e.getKey())) {
        all.addAll(EndpointsMirror.mirror(e.getValue()));
      }
    }
    List<Pod> addressed = SelectorSlices.addressed(pods.values());
    for (Service svc : services.values()) {
      String key = svc.getMetadata().getNamespace() + "/" + svc.getMetadata().getName();
      if (!covered.contains(key)) {
        all.addAll(SelectorSlices.slicesFor(svc, addressed));
      }
    }
    Set<String> known = Set.copyOf(namespaces);
    Predicate<String> exists = ns -> known.contains(ns) || namespaceRule.test(ns);
    return new Snapshot(List.copyOf(services.values()), all, addressed, exists, synced);
  }
}
