package dev.podpath.kube.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a set of manifests holds: API objects in reading order, at most one Cluster shape, and the
 * component configurations (e.g. a {@code KubeProxyConfiguration}) passed through for their
 * components, and, only when the reader was asked to keep them, documents of kinds the API server
 * does not serve.
 */
public record ManifestSet(
    List<Manifest> objects,
    Optional<ClusterManifest> cluster,
    List<ComponentConfig> componentConfigs,
    List<UnmappedObject> unmapped) {

  public ManifestSet {
    objects = List.copyOf(objects);
    componentConfigs = List.copyOf(componentConfigs);
    unmapped = List.copyOf(unmapped);
  }

  /** Objects, a Cluster shape and component configurations; no unmapped document. */
  public ManifestSet(
      List<Manifest> objects,
      Optional<ClusterManifest> cluster,
      List<ComponentConfig> componentConfigs) {
    this(objects, cluster, componentConfigs, List.of());
  }

  /** Objects and a Cluster shape, no component configuration. */
  public ManifestSet(List<Manifest> objects, Optional<ClusterManifest> cluster) {
    this(objects, cluster, List.of());
  }

  public static ManifestSet empty() {
    return new ManifestSet(List.of(), Optional.empty(), List.of());
  }

  /**
   * The one {@code KubeProxyConfiguration} of the set, if any; two are an error at the second's
   * location.
   */
  public Optional<ComponentConfig> kubeProxyConfiguration() {
    Optional<ComponentConfig> found = Optional.empty();
    for (ComponentConfig c : componentConfigs) {
      if (c.isKubeProxy()) {
        if (found.isPresent()) {
          throw new ManifestException(
              c.source(),
              "a second KubeProxyConfiguration (the first is at " + found.get().source() + ")");
        }
        found = Optional.of(c);
      }
    }
    return found;
  }

  /** Both sets, this one first; a Cluster in both is an error at the second's location. */
  public ManifestSet plus(ManifestSet other) {
    List<Manifest> all = new ArrayList<>(objects);
    all.addAll(other.objects);
    if (cluster.isPresent() && other.cluster.isPresent()) {
      throw new ManifestException(
          other.cluster.get().source(),
          "a second Cluster (the first is at " + cluster.get().source() + ")");
    }
    List<ComponentConfig> configs = new ArrayList<>(componentConfigs);
    configs.addAll(other.componentConfigs);
    List<UnmappedObject> unmappedAll = new ArrayList<>(unmapped);
    unmappedAll.addAll(other.unmapped);
    return new ManifestSet(
        all, cluster.isPresent() ? cluster : other.cluster, configs, unmappedAll);
  }
}
