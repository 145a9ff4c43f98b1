package dev.podpath.kube.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A component configuration document found among the manifests (not an API object: the API server
 * would not accept it, the component reads it from a file), passed through untouched with where it
 * came from, for the component that reads it. Only {@code KubeProxyConfiguration} ({@code
 * kubeproxy.config.k8s.io}) is recognised; kube-proxy reads it with its own reader.
 */
public record ComponentConfig(String apiVersion, String kind, ObjectNode document, Source source) {

  /** The API group of kube-proxy's configuration. */
  public static final String KUBE_PROXY_GROUP = "kubeproxy.config.k8s.io";

  /** The kind of kube-proxy's configuration. */
  public static final String KUBE_PROXY_KIND = "KubeProxyConfiguration";

  /** The component configuration a document is, if it is one. */
  static Optional<ComponentConfig> of(ObjectNode doc, Source source) {
    String apiVersion = doc.path("apiVersion").asText("");
    String kind = doc.path("kind").asText("");
    if (kind.equals(KUBE_PROXY_KIND) && apiVersion.startsWith(KUBE_PROXY_GROUP + "/")) {
      return Optional.of(new ComponentConfig(apiVersion, kind, doc.deepCopy(), source));
    }
    return Optional.empty();
  }

  /** Whether this is a {@code KubeProxyConfiguration}. */
  public boolean isKubeProxy() {
    return kind.equals(KUBE_PROXY_KIND);
  }
}
