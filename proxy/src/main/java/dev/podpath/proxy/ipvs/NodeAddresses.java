package dev.podpath.proxy.ipvs;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.proxy.NodeInfo;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The node's own addresses as the IPVS proxier reads them from the kernel at the start of each sync
 * (upstream's {@code GetAllLocalAddressesExcept(kube-ipvs0)} and {@code
 * nodePortAddresses.GetNodeIPs}).
 *
 * @param local every address of the family on every interface but {@code kube-ipvs0}, loopback and
 *     IPv6 link-local addresses excluded (upstream's {@code isValidForSet}); external and LB
 *     addresses among them are not bound to {@code kube-ipvs0}
 * @param nodePortIps the addresses NodePort virtual servers are made on: {@code local} when {@code
 *     nodePortAddresses} is empty, else every address of any interface ({@code kube-ipvs0}
 *     included, as upstream's interface walk does) inside one of its CIDRs, loopback excluded
 */
public record NodeAddresses(SortedSet<IpAddress> local, SortedSet<IpAddress> nodePortIps) {

  public NodeAddresses {
    local = Collections.unmodifiableSortedSet(new TreeSet<>(local));
    nodePortIps = Collections.unmodifiableSortedSet(new TreeSet<>(nodePortIps));
  }

  /** Reads the addresses of {@code family} from every interface address of the node. */
  public static NodeAddresses of(
      List<NodeInfo.InterfaceAddress> interfaces,
      IpFamily family,
      List<IpPrefix> nodePortAddresses) {
    var local = new TreeSet<IpAddress>();
    var nodePort = new TreeSet<IpAddress>();
    for (var a : interfaces) {
      IpAddress ip = a.prefix().address();
      if (ip.family() != family) {
        continue;
      }
      if (!a.device().equals(IpvsPlanner.DUMMY_DEVICE)
          && !ip.isLoopback()
          && !(family == IpFamily.IPV6 && ip.isLinkLocal())) {
        local.add(ip);
      }
      if (!ip.isLoopback() && nodePortAddresses.stream().anyMatch(c -> c.contains(ip))) {
        nodePort.add(ip);
      }
    }
    return new NodeAddresses(local, nodePortAddresses.isEmpty() ? local : nodePort);
  }
}
