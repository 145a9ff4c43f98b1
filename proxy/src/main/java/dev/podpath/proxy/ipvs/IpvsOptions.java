package dev.podpath.proxy.ipvs;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.proxy.NodeInfo;
import dev.podpath.proxy.SloppyIp;
import dev.podpath.proxy.config.KubeProxyConfiguration;
import dev.podpath.proxy.config.LocalDetector;
import dev.podpath.proxy.iptables.IptablesOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * What the IPVS proxier of one node and family needs besides Services and endpoints.
 *
 * @param nodeAddresses the node's addresses of this family outside {@code kube-ipvs0}, loopback
 *     excluded (NodePort virtual servers are made on these)
 * @param nodePortAddresses CIDRs NodePorts answer on; empty means every node address
 */
public record IpvsOptions(
    IpFamily family,
    String nodeName,
    IpAddress nodeIp,
    List<IpAddress> nodeAddresses,
    LocalDetector localDetector,
    boolean masqueradeAll,
    String masqueradeMark,
    List<IpPrefix> nodePortAddresses,
    String scheduler,
    boolean randomFully,
    List<IpPrefix> excludeCidrs) {

  public IpvsOptions {
    nodeAddresses = List.copyOf(nodeAddresses);
    nodePortAddresses = List.copyOf(nodePortAddresses);
    excludeCidrs = List.copyOf(excludeCidrs);
  }

  /** The options a real kube-proxy in IPVS mode derives from its configuration on {@code node}. */
  public static IpvsOptions of(KubeProxyConfiguration config, NodeInfo node, IpFamily family) {
    IptablesOptions ipt = IptablesOptions.of(config, node, family);
    List<IpAddress> addrs = new ArrayList<>();
    for (var a : node.addresses()) {
      IpAddress ip = a.prefix().address();
      if (!a.device().equals(IpvsPlanner.DUMMY_DEVICE)
          && ip.family() == family
          && !ip.isLoopback()
          && !(family == IpFamily.IPV6 && ip.isLinkLocal())
          && !addrs.contains(ip)) {
        addrs.add(ip);
      }
    }
    List<IpPrefix> exclude = new ArrayList<>();
    for (String c : config.ipvsExcludeCidrs()) {
      SloppyIp.parseCidr(c).ifPresent(exclude::add);
    }
    return new IpvsOptions(
        family,
        node.name(),
        ipt.nodeIp(),
        addrs,
        ipt.localDetector(),
        config.masqueradeAll(),
        config.masqueradeMark(),
        ipt.nodePortAddresses(),
        config.scheduler(),
        true,
        exclude);
  }
}
