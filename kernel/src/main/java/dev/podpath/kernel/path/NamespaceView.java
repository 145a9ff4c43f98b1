package dev.podpath.kernel.path;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.VirtualClock;
import java.util.Optional;

/**
 * What netfilter, conntrack and IPVS may ask of the network namespace they run in: its local
 * addresses and routes, address selection, and sysctls. The namespace implements it; netfilter
 * never sees links or routing tables directly.
 */
public interface NamespaceView {

  /** The host's name. */
  String hostName();

  /** The namespace's name (the host's name for its root namespace). */
  String name();

  /**
   * The route type of {@code address} as {@code -m addrtype} sees it: LOCAL for the namespace's own
   * addresses (the local table), BROADCAST, MULTICAST, UNICAST when routed, UNREACHABLE when not;
   * with {@code device}, LOCAL only for addresses on that device ({@code --limit-iface-in}).
   */
  AddressType addressType(IpAddress address, Optional<String> device);

  /**
   * The source address Linux would pick for a packet to {@code destination} leaving by {@code
   * device} ({@code inet_select_addr}): the device's primary address of a fitting scope, else
   * another global address of the namespace. MASQUERADE uses it.
   */
  Optional<IpAddress> selectSource(IpAddress destination, String device);

  /** The device's primary address of a family (REDIRECT translates to it). */
  Optional<IpAddress> primaryAddress(String device, IpFamily family);

  /**
   * A sysctl's value, by its dotted key ({@code net.ipv4.conf.eth0.route_localnet}); throws {@link
   * IllegalArgumentException} for an unknown key.
   */
  String sysctl(String key);

  VirtualClock clock();
}
