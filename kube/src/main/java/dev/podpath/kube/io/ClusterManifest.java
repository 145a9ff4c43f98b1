package dev.podpath.kube.io;

import dev.podpath.kube.shape.ClusterShape;

/** A {@code Cluster} document read from a manifest, with where it came from. */
public record ClusterManifest(ClusterShape shape, Source source) {}
