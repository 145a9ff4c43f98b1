package dev.podpath.node.cni;

/**
 * What an emulated plugin can reach on its host: the host's files (host-local's store lives there),
 * its network namespaces, and the other plugins (for IPAM delegation).
 */
public interface PluginEnvironment {

  /** The host's file system, as far as plugins use it. */
  HostFiles files();

  /** Network operations on the host and in the container's namespace. */
  SandboxNetwork network();

  /** Runs a delegated plugin (IPAM) with the same environment and stdin, as the spec says. */
  ExecResult delegate(String type, CniRequest request);
}
