package dev.podpath.kube.io;

import dev.podpath.kube.model.Kind;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** One API object read from a manifest, with where it came from. */
public record Manifest(HasMetadata object, Source source) {

  public Kind kind() {
    return Kind.of(object);
  }

  /** {@code Kind/name} or {@code Kind/namespace/name}, for messages. */
  public String describe() {
    String ns = object.getMetadata() == null ? null : object.getMetadata().getNamespace();
    String name = object.getMetadata() == null ? null : object.getMetadata().getName();
    return kind().kind() + "/" + (ns == null ? "" : ns + "/") + (name == null ? "" : name);
  }
}
