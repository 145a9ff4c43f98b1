package dev.podpath.node.cni;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import java.util.Optional;

/**
 * The network operations the emulated plugins perform (through netlink, in the real ones), on the
 * host's root namespace or on a container namespace named by its {@code CNI_NETNS} path. Errors are
 * {@link CniException}s with the real plugins' messages.
 */
public interface SandboxNetwork {

  /** Whether {@code netnsPath} names an existing namespace. */
  boolean netnsExists(String netnsPath);

  /** Whether a link exists in the container namespace (or the host's, when netns is empty). */
  boolean linkExists(String netnsPath, String link);

  /** Creates the bridge if it is missing and brings it up; returns its MAC. */
  String ensureBridge(String name, int mtu, boolean hairpinMode) throws CniException;

  /**
   * Creates a veth pair: {@code containerIf} in the container namespace, {@code hostIf} in the
   * host's, enslaved to {@code bridge}, both up; returns the MACs (host, container).
   */
  String[] createVeth(
      String netnsPath, String containerIf, String hostIf, String bridge, int mtu, boolean hairpin)
      throws CniException;

  /** Adds an address to a link in a namespace (the host's when netns is empty). */
  void addAddress(String netnsPath, String link, IpPrefix address) throws CniException;

  /** Whether the link already has the address. */
  boolean hasAddress(String netnsPath, String link, IpPrefix address);

  /** Adds a route in a namespace. */
  void addRoute(String netnsPath, IpPrefix destination, Optional<IpAddress> via, String device)
      throws CniException;

  /** Sets a sysctl in a namespace. */
  void sysctl(String netnsPath, String key, String value) throws CniException;

  /** Brings a link up. */
  void linkUp(String netnsPath, String link) throws CniException;

  /** Deletes a link (and its veth peer); absent is not an error. */
  void deleteLink(String netnsPath, String link);

  /** The host-side peer of a container veth, if any. */
  Optional<String> vethPeer(String netnsPath, String link);

  /** The MAC of a link. */
  String mac(String netnsPath, String link) throws CniException;

  /** Applies iptables-restore text to the host's root namespace (ipMasq, portmap). */
  void iptablesRestore(String rules, boolean noflush) throws CniException;
}
