package dev.podpath.kube.store;

import dev.podpath.kube.model.Kind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;

/** Identifies a stored object: kind, namespace ({@code ""} when cluster-scoped) and name. */
public record ObjectKey(Kind kind, String namespace, String name) implements Comparable<ObjectKey> {

  private static final Comparator<ObjectKey> ORDER =
      Comparator.comparing(ObjectKey::kind)
          .thenComparing(ObjectKey::namespace)
          .thenComparing(ObjectKey::name);

  public ObjectKey {
    if (kind.namespaced() == namespace.isEmpty()) {
      throw new IllegalArgumentException(
          kind.kind()
              + (kind.namespaced()
                  ? " is namespaced: namespace must not be empty"
                  : " is cluster-scoped: namespace must be empty"));
    }
  }

  /** The key of an object (its namespace must already be defaulted). */
  public static ObjectKey of(HasMetadata object) {
    Kind kind = Kind.of(object);
    String ns = object.getMetadata().getNamespace();
    return new ObjectKey(kind, kind.namespaced() ? ns : "", object.getMetadata().getName());
  }

  /** A key for a namespaced kind. */
  public static ObjectKey of(Kind kind, String namespace, String name) {
    return new ObjectKey(kind, kind.namespaced() ? namespace : "", name);
  }

  @Override
  public int compareTo(ObjectKey o) {
    return ORDER.compare(this, o);
  }

  /** {@code pods "web-1"}: how API errors name an object. */
  public String quoted() {
    return kind.plural() + (kind.group().isEmpty() ? "" : "." + kind.group()) + " \"" + name + "\"";
  }

  @Override
  public String toString() {
    return kind.kind() + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
  }
}
