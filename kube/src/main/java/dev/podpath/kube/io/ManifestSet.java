package dev.podpath.kube.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a set of manifests holds: API objects in reading order, and at most one Cluster shape. */
public record ManifestSet(List<Manifest> objects, Optional<ClusterManifest> cluster) {

  public ManifestSet {
    objects = List.copyOf(objects);
  }

  public static ManifestSet empty() {
    return new ManifestSet(List.of(), Optional.empty());
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
    return new ManifestSet(all, cluster.isPresent() ? cluster : other.cluster);
  }
}
