package dev.podpath.proxy.config;

import dev.podpath.net.IpPrefix;
import java.util.List;

/**
 * How kube-proxy tells traffic from local pods apart (upstream's {@code LocalTrafficDetector}): the
 * rule arguments it adds to match traffic that is, or is not, from a pod.
 */
public sealed interface LocalDetector {

  /** Whether this detector matches anything (the no-op detector does not). */
  default boolean implemented() {
    return !(this instanceof NoOp);
  }

  /** Arguments matching pod traffic. */
  List<String> ifLocal();

  /** Arguments matching traffic that is not from a pod. */
  List<String> ifNotLocal();

  /** {@code detectLocalMode: ClusterCIDR} or {@code NodeCIDR}: by source address. */
  record ByCidr(IpPrefix cidr) implements LocalDetector {
    @Override
    public List<String> ifLocal() {
      return List.of("-s", cidr.masked().toString());
    }

    @Override
    public List<String> ifNotLocal() {
      return List.of("!", "-s", cidr.masked().toString());
    }
  }

  /** {@code detectLocalMode: BridgeInterface}: by input bridge. */
  record ByBridgeInterface(String name) implements LocalDetector {
    @Override
    public List<String> ifLocal() {
      return List.of("-i", name);
    }

    @Override
    public List<String> ifNotLocal() {
      return List.of("!", "-i", name);
    }
  }

  /** {@code detectLocalMode: InterfaceNamePrefix}: by input interface name prefix. */
  record ByInterfacePrefix(String prefix) implements LocalDetector {
    @Override
    public List<String> ifLocal() {
      return List.of("-i", prefix + "+");
    }

    @Override
    public List<String> ifNotLocal() {
      return List.of("!", "-i", prefix + "+");
    }
  }

  /** No detector (no cluster CIDR known): no such rules at all. */
  record NoOp() implements LocalDetector {
    @Override
    public List<String> ifLocal() {
      return List.of();
    }

    @Override
    public List<String> ifNotLocal() {
      return List.of();
    }
  }
}
