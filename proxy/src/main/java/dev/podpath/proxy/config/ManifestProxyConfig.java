package dev.podpath.proxy.config;

import dev.podpath.kube.io.ComponentConfig;
import dev.podpath.kube.io.Manifest;
import dev.podpath.kube.io.ManifestException;
import dev.podpath.kube.io.ManifestSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Optional;

/**
 * Finds kube-proxy's configuration among manifests, for every command that reads manifests ({@code
 * podpath rules}, a lab's {@code cluster FILE}): a {@code KubeProxyConfiguration} document first,
 * else the {@code config.conf} key of kubeadm's ConfigMap {@code kube-system/kube-proxy}. A bad
 * configuration is a {@link ManifestException} at the document's file:line.
 */
public final class ManifestProxyConfig {

  /** The key of kubeadm's ConfigMap that holds the configuration file. */
  public static final String CONFIG_MAP_KEY = "config.conf";

  private ManifestProxyConfig() {}

  /** The configuration the manifests give kube-proxy, if any. */
  public static Optional<KubeProxyConfiguration> in(ManifestSet manifests) {
    Optional<ComponentConfig> doc = manifests.kubeProxyConfiguration();
    if (doc.isPresent()) {
      try {
        return Optional.of(KubeProxyConfigurationReader.fromTree(doc.get().document()));
      } catch (IllegalArgumentException e) {
        throw new ManifestException(doc.get().source(), e.getMessage());
      }
    }
    for (Manifest m : manifests.objects()) {
      if (m.object() instanceof ConfigMap cm
          && "kube-system".equals(cm.getMetadata().getNamespace())
          && "kube-proxy".equals(cm.getMetadata().getName())
          && cm.getData() != null
          && cm.getData().containsKey(CONFIG_MAP_KEY)) {
        try {
          return Optional.of(KubeProxyConfigurationReader.parse(cm.getData().get(CONFIG_MAP_KEY)));
        } catch (IllegalArgumentException e) {
          throw new ManifestException(
              m.source(),
              "ConfigMap kube-system/kube-proxy: " + CONFIG_MAP_KEY + ": " + e.getMessage());
        }
      }
    }
    return Optional.empty();
  }
}
