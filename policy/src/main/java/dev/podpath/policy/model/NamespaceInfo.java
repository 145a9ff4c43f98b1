package dev.podpath.policy.model;

import java.util.Map;
import java.util.TreeMap;

/** A namespace and its labels (with the automatic {@code kubernetes.io/metadata.name}). */
public record NamespaceInfo(String name, Map<String, String> labels) {
  public static final String NAME_LABEL = "kubernetes.io/metadata.name";

  public NamespaceInfo {
    var l = new TreeMap<>(labels);
    l.put(NAME_LABEL, name);
    labels = java.util.Collections.unmodifiableMap(l);
  }
}
