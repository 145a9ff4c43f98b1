package dev.podpath.node.cni;

import java.util.Map;
import java.util.TreeMap;

/**
 * The plugin binaries of one host, emulated: a {@code CNI_PATH} directory holding {@link
 * CniPlugin}s by type, run through {@link CniDispatcher} against the host's files and network.
 * Delegation (IPAM) goes through the same table, as the real plugins find IPAM binaries on {@code
 * CNI_PATH}.
 */
public final class EmulatedPlugins implements CniInvoker {

  private final Map<String, CniPlugin> plugins = new TreeMap<>();
  private final HostFiles files;
  private final SandboxNetwork network;

  public EmulatedPlugins(HostFiles files, SandboxNetwork network) {
    this.files = files;
    this.network = network;
  }

  /** Installs a plugin binary. */
  public EmulatedPlugins install(CniPlugin plugin) {
    plugins.put(plugin.type(), plugin);
    return this;
  }

  @Override
  public ExecResult exec(String type, Map<String, String> env, String stdin) {
    CniPlugin plugin = plugins.get(type);
    if (plugin == null) {
      return new ExecResult(
          127,
          "",
          "failed to find plugin \""
              + type
              + "\" in path ["
              + env.getOrDefault("CNI_PATH", "").replace(':', ' ')
              + "]");
    }
    var self = this;
    PluginEnvironment pe =
        new PluginEnvironment() {
          @Override
          public HostFiles files() {
            return files;
          }

          @Override
          public SandboxNetwork network() {
            return network;
          }

          @Override
          public ExecResult delegate(String delegateType, CniRequest request) {
            return self.exec(delegateType, env, stdin);
          }
        };
    return CniDispatcher.exec(plugin, env, stdin, pe);
  }
}
