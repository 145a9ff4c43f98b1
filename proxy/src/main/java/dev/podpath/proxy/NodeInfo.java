package dev.podpath.proxy;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import java.util.List;
import java.util.Objects;

/**
 * What kube-proxy knows of its own node: its name, its primary address ({@code nodeIP}), the
 * addresses of its interfaces (for NodePorts, {@code nodePortAddresses} and {@code addrtype
 * LOCAL}), and its pod CIDRs (for {@code detectLocalMode: NodeCIDR}).
 */
public record NodeInfo(
    String name,
    List<IpAddress> nodeIps,
    List<InterfaceAddress> addresses,
    List<IpPrefix> podCidrs) {

  public NodeInfo {
    Objects.requireNonNull(name, "name");
    nodeIps = List.copyOf(nodeIps);
    addresses = List.copyOf(addresses);
    podCidrs = List.copyOf(podCidrs);
  }

  /** An address on one of the node's interfaces. */
  public record InterfaceAddress(String device, IpPrefix prefix) {}

  /**
   * What kube-proxy learns from a Node object: its {@code InternalIP} and {@code ExternalIP}
   * addresses (on {@code eth0}, as host routes since the object has no prefix lengths), the
   * loopback addresses on {@code lo}, and {@code spec.podCIDRs}.
   */
  public static NodeInfo fromNode(io.fabric8.kubernetes.api.model.Node node) {
    List<IpAddress> ips = new java.util.ArrayList<>();
    List<InterfaceAddress> addrs = new java.util.ArrayList<>();
    addrs.add(new InterfaceAddress("lo", IpPrefix.parse("127.0.0.1/8")));
    addrs.add(new InterfaceAddress("lo", IpPrefix.parse("::1/128")));
    if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
      for (String type : List.of("InternalIP", "ExternalIP")) {
        for (var a : node.getStatus().getAddresses()) {
          if (type.equals(a.getType()) && a.getAddress() != null) {
            SloppyIp.parse(a.getAddress())
                .filter(ip -> !ips.contains(ip))
                .ifPresent(
                    ip -> {
                      ips.add(ip);
                      addrs.add(new InterfaceAddress("eth0", IpPrefix.host(ip)));
                    });
          }
        }
      }
    }
    List<IpPrefix> pods = new java.util.ArrayList<>();
    if (node.getSpec() != null) {
      List<String> cidrs =
          node.getSpec().getPodCIDRs() != null && !node.getSpec().getPodCIDRs().isEmpty()
              ? node.getSpec().getPodCIDRs()
              : node.getSpec().getPodCIDR() == null
                  ? List.of()
                  : List.of(node.getSpec().getPodCIDR());
      cidrs.forEach(c -> SloppyIp.parseCidr(c).ifPresent(pods::add));
    }
    return new NodeInfo(node.getMetadata().getName(), ips, addrs, pods);
  }

  /** The first node IP of a family, if the node has one. */
  public java.util.Optional<IpAddress> nodeIp(IpFamily family) {
    return nodeIps.stream().filter(a -> a.family() == family).findFirst();
  }

  /** Every local address of a family, loopback included, in interface order. */
  public List<IpAddress> localAddresses(IpFamily family) {
    return addresses.stream()
        .map(a -> a.prefix().address())
        .filter(a -> a.family() == family)
        .toList();
  }
}
