package dev.podpath.cluster;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.link.Vxlan;
import dev.podpath.kernel.route.RouteRequest;
import dev.podpath.kube.shape.CniMode;
import dev.podpath.net.IpPrefix;
import java.util.List;
import java.util.Optional;

/**
 * Joins the pod networks of the nodes. {@code routed}: each node routes every other node's pod CIDR
 * via that node's underlay address (flannel's host-gw, kindnet). {@code overlay}: flannel's vxlan
 * backend — a {@code flannel.1} VXLAN device (VNI 1, port 8472) per node holding {@code <podCIDR
 * network>/32}, and for each other node a route to its pod CIDR via its {@code flannel.1} address,
 * a permanent neighbour entry for that address and an FDB entry sending its MAC to the node's
 * underlay address.
 */
final class Underlay {

  static final String VXLAN_DEVICE = "flannel.1";

  private Underlay() {}

  static void join(List<NodeNetwork> nodes, CniMode mode) {
    if (mode == CniMode.OVERLAY) {
      for (NodeNetwork n : nodes) {
        NetNamespace root = n.host().root();
        root.addVxlan(
            VXLAN_DEVICE,
            1,
            Optional.of(n.address()),
            Optional.empty(),
            Optional.of("eth0"),
            Vxlan.LINUX_DEFAULT_PORT);
        root.setMtu(VXLAN_DEVICE, 1450);
        root.routing()
            .addAddress(
                VXLAN_DEVICE,
                IpPrefix.host(n.podCidr().network()),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        root.setUp(VXLAN_DEVICE, true);
      }
    }
    for (NodeNetwork n : nodes) {
      NetNamespace root = n.host().root();
      for (NodeNetwork other : nodes) {
        if (other == n) {
          continue;
        }
        if (mode == CniMode.ROUTED) {
          root.routing().addRoute(RouteRequest.to(other.podCidr().masked()).via(other.address()));
        } else {
          var gw = other.podCidr().network();
          var remote = (Vxlan) other.host().root().link(VXLAN_DEVICE);
          root.routing().addRoute(RouteRequest.to(IpPrefix.host(gw)).dev(VXLAN_DEVICE));
          root.routing()
              .addRoute(RouteRequest.to(other.podCidr().masked()).via(gw).dev(VXLAN_DEVICE));
          root.neighbours().put(gw, VXLAN_DEVICE, remote.mac());
          ((Vxlan) root.link(VXLAN_DEVICE)).addFdb(remote.mac(), other.address());
        }
      }
    }
  }
}
