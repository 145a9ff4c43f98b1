package dev.podpath.cli.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads Kubernetes manifests (files or directories; YAML with several documents, JSON, {@code List}
 * kinds) into one object tree per object, in file order. The seam lets the control plane's manifest
 * reader replace {@link YamlManifests}.
 */
interface Manifests {

  List<JsonNode> read(List<Path> paths) throws ManifestException;

  /** Unreadable input; the message names the file. */
  final class ManifestException extends Exception {
    private static final long serialVersionUID = 1L;

    ManifestException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
