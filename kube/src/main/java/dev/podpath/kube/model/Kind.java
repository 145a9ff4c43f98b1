package dev.podpath.kube.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The API kinds podpath serves: apiVersion, kind, plural resource name, short names (as {@code
 * kubectl api-resources} lists them), scope and the fabric8 model class.
 */
public enum Kind {
  NAMESPACE("v1", "Namespace", "namespaces", List.of("ns"), false, Namespace.class),
  NODE("v1", "Node", "nodes", List.of("no"), false, Node.class),
  POD("v1", "Pod", "pods", List.of("po"), true, Pod.class),
  SERVICE("v1", "Service", "services", List.of("svc"), true, Service.class),
  ENDPOINTS("v1", "Endpoints", "endpoints", List.of("ep"), true, Endpoints.class),
  ENDPOINT_SLICE(
      "discovery.k8s.io/v1",
      "EndpointSlice",
      "endpointslices",
      List.of(),
      true,
      EndpointSlice.class),
  NETWORK_POLICY(
      "networking.k8s.io/v1",
      "NetworkPolicy",
      "networkpolicies",
      List.of("netpol"),
      true,
      NetworkPolicy.class),
  DEPLOYMENT("apps/v1", "Deployment", "deployments", List.of("deploy"), true, Deployment.class),
  REPLICA_SET("apps/v1", "ReplicaSet", "replicasets", List.of("rs"), true, ReplicaSet.class),
  STATEFUL_SET("apps/v1", "StatefulSet", "statefulsets", List.of("sts"), true, StatefulSet.class),
  DAEMON_SET("apps/v1", "DaemonSet", "daemonsets", List.of("ds"), true, DaemonSet.class),
  CONTROLLER_REVISION(
      "apps/v1",
      "ControllerRevision",
      "controllerrevisions",
      List.of(),
      true,
      ControllerRevision.class),
  PERSISTENT_VOLUME_CLAIM(
      "v1",
      "PersistentVolumeClaim",
      "persistentvolumeclaims",
      List.of("pvc"),
      true,
      PersistentVolumeClaim.class),
  CONFIG_MAP("v1", "ConfigMap", "configmaps", List.of("cm"), true, ConfigMap.class);

  private final String apiVersion;
  private final String kind;
  private final String plural;
  private final List<String> shortNames;
  private final boolean namespaced;
  private final Class<? extends HasMetadata> type;

  Kind(
      String apiVersion,
      String kind,
      String plural,
      List<String> shortNames,
      boolean namespaced,
      Class<? extends HasMetadata> type) {
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.plural = plural;
    this.shortNames = shortNames;
    this.namespaced = namespaced;
    this.type = type;
  }

  public String apiVersion() {
    return apiVersion;
  }

  /** The kind as written in manifests ({@code Pod}). */
  public String kind() {
    return kind;
  }

  /** The resource name ({@code pods}). */
  public String plural() {
    return plural;
  }

  public List<String> shortNames() {
    return shortNames;
  }

  public boolean namespaced() {
    return namespaced;
  }

  public Class<? extends HasMetadata> type() {
    return type;
  }

  /** The group ({@code ""} for the core group). */
  public String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** The resource as kubectl prints it in {@code -o name}: {@code pod}, {@code deployment.apps}. */
  public String qualifiedSingular() {
    String singular = kind.toLowerCase(Locale.ROOT);
    return group().isEmpty() ? singular : singular + "." + group();
  }

  /** The kind served for this apiVersion and kind, if any. */
  public static Optional<Kind> of(String apiVersion, String kind) {
    for (Kind k : values()) {
      if (k.apiVersion.equals(apiVersion) && k.kind.equals(kind)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** The kind of a model object. */
  public static Kind of(HasMetadata object) {
    for (Kind k : values()) {
      if (k.type == object.getClass()) {
        return k;
      }
    }
    throw new IllegalArgumentException("not a served kind: " + object.getClass().getName());
  }

  /**
   * The kind a {@code kubectl get} argument names: plural, singular, short name or kind, with an
   * optional group suffix ({@code endpointslices.discovery.k8s.io}), case-insensitive.
   */
  public static Optional<Kind> byResourceName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (Kind k : values()) {
      String singular = k.kind.toLowerCase(Locale.ROOT);
      String suffix = k.group().isEmpty() ? "" : "." + k.group();
      if (n.equals(k.plural)
          || n.equals(singular)
          || k.shortNames.contains(n)
          || n.equals(k.plural + suffix)
          || n.equals(singular + suffix)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
