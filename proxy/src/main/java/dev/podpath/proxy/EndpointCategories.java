package dev.podpath.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The endpoints one service port uses on this node (upstream's {@code CategorizeEndpoints}):
 * cluster endpoints are the ready ones, or, when none is ready anywhere, the serving terminating
 * ones; local endpoints are the same choice among this node's endpoints; not-serving endpoints are
 * never used. Topology hints are not modelled.
 *
 * @param cluster endpoints for the Cluster traffic policy, sorted
 * @param local endpoints for the Local traffic policy, sorted
 * @param allReachable every endpoint some chain of this node may jump to, sorted
 * @param hasAny whether the port has any usable endpoint on any node
 */
public record EndpointCategories(
    List<Endpoint> cluster, List<Endpoint> local, List<Endpoint> allReachable, boolean hasAny) {

  public EndpointCategories {
    cluster = List.copyOf(cluster);
    local = List.copyOf(local);
    allReachable = List.copyOf(allReachable);
  }

  /** Categorises {@code endpoints} (sorted) of {@code port}. */
  public static EndpointCategories of(ServicePort port, List<Endpoint> endpoints) {
    List<Endpoint> cluster = List.of();
    boolean hasAny = false;
    if (port.usesClusterEndpoints()) {
      cluster = filter(endpoints, Endpoint::ready);
      if (cluster.isEmpty()) {
        cluster = filter(endpoints, e -> e.serving() && e.terminating());
      }
      hasAny = !cluster.isEmpty();
    }
    if (!port.usesLocalEndpoints()) {
      return new EndpointCategories(cluster, List.of(), cluster, hasAny);
    }
    boolean localReady = false;
    boolean localServingTerminating = false;
    for (Endpoint e : endpoints) {
      if (e.ready()) {
        hasAny = true;
        localReady |= e.local();
      } else if (e.serving() && e.terminating()) {
        hasAny = true;
        localServingTerminating |= e.local();
      }
    }
    List<Endpoint> local = List.of();
    boolean servingTerminating = false;
    if (localReady) {
      local = filter(endpoints, e -> e.local() && e.ready());
    } else if (localServingTerminating) {
      servingTerminating = true;
      local = filter(endpoints, e -> e.local() && e.serving() && e.terminating());
    }
    if (!port.usesClusterEndpoints()) {
      return new EndpointCategories(cluster, local, local, hasAny);
    }
    if (!servingTerminating) {
      return new EndpointCategories(cluster, local, cluster, hasAny);
    }
    var merged = new TreeMap<String, Endpoint>();
    cluster.forEach(e -> merged.put(e.toString(), e));
    local.forEach(e -> merged.put(e.toString(), e));
    return new EndpointCategories(cluster, local, new ArrayList<>(merged.values()), hasAny);
  }

  private static List<Endpoint> filter(List<Endpoint> endpoints, Predicate<Endpoint> keep) {
    return endpoints.stream().filter(keep).toList();
  }
}
