package dev.podpath.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podpath.kube.io.Json;
import dev.podpath.kube.io.Manifest;
import dev.podpath.kube.io.ManifestException;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.shape.NodeShape;
import dev.podpath.kube.store.ApiException;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.ObjectKey;
import dev.podpath.kube.validate.FieldError;
import dev.podpath.kube.validate.Names;
import dev.podpath.kube.validate.Validator;
import dev.podpath.net.IpAddress;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code kubectl apply}, all or nothing: every object is validated first (with its file:line), then
 * created or updated in order; if a write still fails, what this apply wrote is undone.
 * Conveniences for live dumps: missing namespaces are created, and nodes that pods of the dump run
 * on but the shape lacks are registered (with the pod's hostIP as InternalIP).
 */
final class Applier {

  private final ApiStore store;

  Applier(ApiStore store) {
    this.store = store;
  }

  ObjectKey keyOf(Manifest m) {
    HasMetadata o = m.object();
    String ns =
        o.getMetadata() == null || o.getMetadata().getNamespace() == null
            ? "default"
            : o.getMetadata().getNamespace();
    String name = o.getMetadata() == null ? null : o.getMetadata().getName();
    if (name == null) {
      throw new ManifestException(m.source(), "resource name may not be empty");
    }
    return ObjectKey.of(m.kind(), ns, name);
  }

  /**
   * Validates every object as the API server would, before anything is stored.
   *
   * @throws ManifestException at the file:line of the first invalid object, with the API server's
   *     message ({@code The Service "web" is invalid: …})
   */
  static void validate(List<Manifest> manifests) {
    for (Manifest m : manifests) {
      List<FieldError> errors = Validator.validate(m.object());
      if (!errors.isEmpty()) {
        String name =
            m.object().getMetadata() == null
                ? ""
                : Objects.toString(m.object().getMetadata().getName(), "");
        throw new ManifestException(
            m.source(), "The " + ApiException.invalid(m.kind().kind(), name, errors).getMessage());
      }
    }
  }

  List<String> apply(List<Manifest> manifests) {
    validate(manifests);
    List<Runnable> undo = new ArrayList<>();
    List<String> out = new ArrayList<>();
    try {
      ensureNamespacesAndNodes(manifests, undo);
      for (Manifest m : manifests) {
        out.add(applyOne(m, undo));
      }
    } catch (ApiException e) {
      for (int i = undo.size() - 1; i >= 0; i--) {
        undo.get(i).run();
      }
      throw new ManifestException(failing(manifests, e), e.kubectlMessage());
    }
    return out;
  }

  private dev.podpath.kube.io.Source failing(List<Manifest> manifests, ApiException e) {
    for (Manifest m : manifests) {
      String name = m.object().getMetadata() == null ? null : m.object().getMetadata().getName();
      if (name != null && e.getMessage().contains("\"" + name + "\"")) {
        return m.source();
      }
    }
    return manifests.isEmpty()
        ? dev.podpath.kube.io.Source.GENERATED
        : manifests.getFirst().source();
  }

  /** The prefix of annotations a controller writes on objects users apply. */
  private static final String CONTROLLER_ANNOTATIONS = "deployment.kubernetes.io/";

  private String applyOne(Manifest m, List<Runnable> undo) {
    ObjectKey key = keyOf(m);
    String what = m.kind().qualifiedSingular() + "/" + key.name();
    Optional<HasMetadata> old = store.get(key);
    if (old.isEmpty()) {
      HasMetadata created = store.create(m.object());
      ObjectKey k = ObjectKey.of(created);
      undo.add(() -> store.get(k).ifPresent(o -> store.delete(k, 0L)));
      return what + " created";
    }
    HasMetadata next = Json.copy(m.object());
    next.getMetadata().setNamespace(key.kind().namespaced() ? key.namespace() : null);
    next.getMetadata().setResourceVersion(null);
    long before = store.resourceVersion();
    store.update(keepServerFields(next, old.get()));
    if (store.resourceVersion() == before) {
      return what + " unchanged";
    }
    HasMetadata previous = old.get();
    undo.add(
        () -> {
          HasMetadata back = Json.copy(previous);
          back.getMetadata().setResourceVersion(null);
          store.update(back);
        });
    return what + " configured";
  }

  /**
   * Status (and a pod's node) the manifest does not set stay as the server has them, and so do the
   * annotations controllers write ({@code deployment.kubernetes.io/…}), as a three-way merge keeps
   * what the last applied configuration never had.
   */
  private static HasMetadata keepServerFields(HasMetadata next, HasMetadata old) {
    if (old.getMetadata().getAnnotations() != null) {
      Map<String, String> ann =
          new java.util.TreeMap<>(
              next.getMetadata().getAnnotations() == null
                  ? Map.of()
                  : next.getMetadata().getAnnotations());
      old.getMetadata()
          .getAnnotations()
          .forEach(
              (k, v) -> {
                if (k.startsWith(CONTROLLER_ANNOTATIONS)) {
                  ann.putIfAbsent(k, v);
                }
              });
      next.getMetadata().setAnnotations(ann.isEmpty() ? null : ann);
    }
    ObjectNode tree = Json.MAPPER.valueToTree(next);
    JsonNode had = Json.MAPPER.valueToTree(old);
    if (!tree.has("status") && had.has("status")) {
      tree.set("status", had.get("status"));
    }
    if (next instanceof Pod
        && had.path("spec").has("nodeName")
        && tree.get("spec") instanceof ObjectNode spec
        && !spec.has("nodeName")) {
      spec.set("nodeName", had.path("spec").get("nodeName"));
    }
    try {
      return Json.MAPPER.treeToValue(tree, next.getClass());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot merge " + next.getKind(), e);
    }
  }

  private void ensureNamespacesAndNodes(List<Manifest> manifests, List<Runnable> undo) {
    TreeSet<String> namespaces = new TreeSet<>();
    Map<String, String> nodes = new LinkedHashMap<>();
    for (Manifest m : manifests) {
      if (m.kind() == Kind.NAMESPACE) {
        continue;
      }
      if (m.kind().namespaced()) {
        namespaces.add(keyOf(m).namespace());
      }
      if (m.object() instanceof Pod p
          && p.getSpec() != null
          && p.getSpec().getNodeName() != null
          && p.getStatus() != null
          && p.getStatus().getHostIP() != null) {
        nodes.putIfAbsent(p.getSpec().getNodeName(), p.getStatus().getHostIP());
      }
    }
    TreeSet<String> declared = new TreeSet<>();
    manifests.stream()
        .filter(m -> m.kind() == Kind.NAMESPACE)
        .forEach(m -> declared.add(m.object().getMetadata().getName()));
    for (String ns : namespaces) {
      if (!declared.contains(ns) && store.get(ObjectKey.of(Kind.NAMESPACE, "", ns)).isEmpty()) {
        store.create(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .addToLabels("kubernetes.io/metadata.name", ns)
                .endMetadata()
                .build());
        undo.add(() -> store.delete(ObjectKey.of(Kind.NAMESPACE, "", ns), 0L));
      }
    }
    // declared namespaces first, so their objects can follow in any order
    for (Manifest m : manifests) {
      if (m.kind() == Kind.NAMESPACE && store.get(keyOf(m)).isEmpty()) {
        HasMetadata created = store.create(m.object());
        undo.add(() -> store.delete(ObjectKey.of(created), 0L));
      }
    }
    boolean declaresNodes = manifests.stream().anyMatch(m -> m.kind() == Kind.NODE);
    for (Map.Entry<String, String> n : nodes.entrySet()) {
      if (!declaresNodes
          && store.get(ObjectKey.of(Kind.NODE, "", n.getKey())).isEmpty()
          && Names.dns1123Subdomain(n.getKey()).isEmpty()) {
        NodeShape s =
            new NodeShape(
                n.getKey(), Map.of(), List.of(), Map.of(), List.of(IpAddress.parse(n.getValue())));
        HasMetadata created = store.create(Bootstrap.node(s));
        undo.add(() -> store.delete(ObjectKey.of(created), 0L));
      }
    }
  }

  static void scale(ApiStore store, Kind kind, String ns, String name, int replicas) {
    if (replicas < 0) {
      throw ApiException.badRequest("--replicas=COUNT must be >= 0");
    }
    ObjectKey key = ObjectKey.of(kind, ns, name);
    HasMetadata o = store.get(key).orElseThrow(() -> ApiException.notFound(key));
    HasMetadata copy = Json.copy(o);
    switch (copy) {
      case Deployment d -> d.getSpec().setReplicas(replicas);
      case ReplicaSet r -> r.getSpec().setReplicas(replicas);
      case StatefulSet s -> s.getSpec().setReplicas(replicas);
      default ->
          throw ApiException.badRequest(
              "the server could not find the requested"
                  + " resource: "
                  + kind.plural()
                  + " cannot be scaled");
    }
    store.update(copy);
  }

  static void label(
      ApiStore store, Kind kind, String ns, String name, List<String> changes, boolean overwrite) {
    ObjectKey key = ObjectKey.of(kind, ns, name);
    HasMetadata copy = Json.copy(store.get(key).orElseThrow(() -> ApiException.notFound(key)));
    Map<String, String> labels =
        new TreeMap<>(
            copy.getMetadata().getLabels() == null ? Map.of() : copy.getMetadata().getLabels());
    for (String c : changes) {
      if (c.endsWith("-") && !c.contains("=")) {
        labels.remove(c.substring(0, c.length() - 1));
        continue;
      }
      int eq = c.indexOf('=');
      if (eq <= 0) {
        throw ApiException.badRequest("invalid label spec: " + c);
      }
      String k = c.substring(0, eq);
      String v = c.substring(eq + 1);
      if (labels.containsKey(k) && !labels.get(k).equals(v) && !overwrite) {
        throw ApiException.badRequest(
            "'" + k + "' already has a value (" + labels.get(k) + "), and --overwrite is false");
      }
      labels.put(k, v);
    }
    copy.getMetadata().setLabels(labels);
    store.update(copy);
  }
}
