package dev.podpath.policy.load;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Kubernetes object read from a file, as a JSON tree, with where it came from.
 *
 * @param origin the file name and document number, {@code shop.yaml#2}
 */
public record DumpObject(String origin, JsonNode object) {

  public String kind() {
    return object.path("kind").asText("");
  }

  public String name() {
    return object.path("metadata").path("name").asText("");
  }

  /** The namespace, {@code default} when absent or empty (as kubectl applies it). */
  public String namespace() {
    String ns = object.path("metadata").path("namespace").asText("");
    return ns.isEmpty() ? "default" : ns;
  }

  /** {@code origin kind ns/name}, the prefix of every error about this object. */
  public String where() {
    return origin + " " + kind() + " " + namespace() + "/" + name();
  }
}
