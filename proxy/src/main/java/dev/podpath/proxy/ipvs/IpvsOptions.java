package dev.podpath.proxy.ipvs;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.proxy.NodeInfo;
import dev.podpath.proxy.SloppyIp;
import dev.podpath.proxy.config.KubeProxyConfiguration;
import dev.podpath.proxy.config.LocalDetector;
import dev.podpath.proxy.iptables.IptablesOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the IPVS proxier of one node and family needs besides Services and endpoints.
 *
 * @param tcpTimeout {@code ipvs.tcpTimeout} (also {@code tcpFinTimeout}, {@code udpTimeout}): zero
 *     leaves the kernel's value
 * @param nodePortAddresses CIDRs NodePorts answer on ({@code primary} turned into the node IP's
 *     host prefix); empty means every node address. The addresses themselves are read from the
 *     kernel at each sync ({@link NodeAddresses}), as upstream reads them over netlink.
 */
public record IpvsOptions(
    IpFamily family,
    String nodeName,
    IpAddress nodeIp,
    LocalDetector localDetector,
    boolean masqueradeAll,
    String masqueradeMark,
    List<IpPrefix> nodePortAddresses,
    String scheduler,
    boolean randomFully,
    List<IpPrefix> excludeCidrs,
    Duration tcpTimeout,
    Duration tcpFinTimeout,
    Duration udpTimeout) {

  public IpvsOptions {
    nodePortAddresses = List.copyOf(nodePortAddresses);
    excludeCidrs = List.copyOf(excludeCidrs);
  }

  /** The options a real kube-proxy in IPVS mode derives from its configuration on {@code node}. */
  public static IpvsOptions of(KubeProxyConfiguration config, NodeInfo node, IpFamily family) {
    IptablesOptions ipt = IptablesOptions.of(config, node, family);
    List<IpPrefix> exclude = new ArrayList<>();
    for (String c : config.ipvsExcludeCidrs()) {
      SloppyIp.parseCidr(c).ifPresent(exclude::add);
    }
    return new IpvsOptions(
        family,
        node.name(),
        ipt.nodeIp(),
        ipt.localDetector(),
        config.masqueradeAll(),
        config.masqueradeMark(),
        ipt.nodePortAddresses(),
        config.scheduler(),
        true,
        exclude,
        config.ipvsTcpTimeout(),
        config.ipvsTcpFinTimeout(),
        config.ipvsUdpTimeout());
  }
}
