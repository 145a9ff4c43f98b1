package dev.podpath.proxy.iptables;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.proxy.NodeInfo;
import dev.podpath.proxy.SloppyIp;
import dev.podpath.proxy.config.KubeProxyConfiguration;
import dev.podpath.proxy.config.LocalDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Everything the iptables proxier of one node and family needs besides Services and endpoints.
 *
 * @param nodeIp the node's primary IP (LB source ranges containing it also admit the LB IPs)
 * @param localAddresses the node's interface addresses of this family, for {@code
 *     nodePortAddresses}
 * @param nodePortAddresses CIDRs NodePorts answer on; empty means every local address
 * @param masqueradeMark the mark text as written into rules ({@code 0x00004000})
 * @param nfacctCounters nfacct objects the kernel has ({@code ct_state_invalid_dropped_pkts}, …)
 */
public record IptablesOptions(
    IpFamily family,
    String nodeName,
    IpAddress nodeIp,
    List<IpAddress> localAddresses,
    LocalDetector localDetector,
    boolean masqueradeAll,
    String masqueradeMark,
    List<IpPrefix> nodePortAddresses,
    boolean localhostNodePorts,
    Set<String> nfacctCounters,
    boolean tcpBeLiberal,
    boolean randomFully,
    Duration syncPeriod) {

  /** nfacct counter of packets dropped as conntrack INVALID. */
  public static final String CT_INVALID_COUNTER = "ct_state_invalid_dropped_pkts";

  /** nfacct counter of packets accepted on localhost NodePorts. */
  public static final String LOCALHOST_NODEPORTS_COUNTER = "localhost_nps_accepted_pkts";

  public IptablesOptions {
    localAddresses = List.copyOf(localAddresses);
    nodePortAddresses = List.copyOf(nodePortAddresses);
    nfacctCounters = Set.copyOf(nfacctCounters);
  }

  /** These options on a kernel without nfacct objects (no {@code -m nfacct} matches). */
  public IptablesOptions withoutNfacct() {
    return new IptablesOptions(
        family,
        nodeName,
        nodeIp,
        localAddresses,
        localDetector,
        masqueradeAll,
        masqueradeMark,
        nodePortAddresses,
        localhostNodePorts,
        Set.of(),
        tcpBeLiberal,
        randomFully,
        syncPeriod);
  }

  public boolean ipv6() {
    return family == IpFamily.IPV6;
  }

  /** The options a real kube-proxy derives from its configuration on {@code node}. */
  public static IptablesOptions of(KubeProxyConfiguration config, NodeInfo node, IpFamily family) {
    IpAddress nodeIp =
        node.nodeIp(family)
            .orElse(
                family == IpFamily.IPV4 ? IpAddress.parse("127.0.0.1") : IpAddress.parse("::1"));
    List<IpPrefix> npa = new ArrayList<>();
    for (String text : config.nodePortAddresses()) {
      if (text.equals("primary")) {
        node.nodeIp(family).ifPresent(ip -> npa.add(IpPrefix.host(ip)));
      } else {
        SloppyIp.parseCidr(text).filter(p -> p.family() == family).ifPresent(npa::add);
      }
    }
    boolean localhost = config.localhostNodePorts();
    if (!npa.isEmpty() && npa.stream().noneMatch(p -> p.contains(IpAddress.parse("127.0.0.1")))) {
      localhost = false;
    }
    return new IptablesOptions(
        family,
        node.name(),
        nodeIp,
        node.localAddresses(family),
        detector(config, node, family),
        config.masqueradeAll(),
        config.masqueradeMark(),
        npa,
        localhost,
        Set.of(CT_INVALID_COUNTER, LOCALHOST_NODEPORTS_COUNTER),
        config.tcpBeLiberal(),
        true,
        config.syncPeriod());
  }

  /** The local-traffic detector {@code detectLocalMode} asks for; no-op when it cannot work. */
  public static LocalDetector detector(
      KubeProxyConfiguration config, NodeInfo node, IpFamily family) {
    return switch (config.detectLocalMode()) {
      case "NodeCIDR" ->
          node.podCidrs().stream()
              .filter(p -> p.family() == family)
              .findFirst()
              .<LocalDetector>map(LocalDetector.ByCidr::new)
              .orElse(new LocalDetector.NoOp());
      case "BridgeInterface" ->
          config.bridgeInterface().isEmpty()
              ? new LocalDetector.NoOp()
              : new LocalDetector.ByBridgeInterface(config.bridgeInterface());
      case "InterfaceNamePrefix" ->
          config.interfaceNamePrefix().isEmpty()
              ? new LocalDetector.NoOp()
              : new LocalDetector.ByInterfacePrefix(config.interfaceNamePrefix());
      default ->
          config.clusterCidrs().stream()
              .map(SloppyIp::parseCidr)
              .flatMap(java.util.Optional::stream)
              .filter(p -> p.family() == family)
              .findFirst()
              .<LocalDetector>map(LocalDetector.ByCidr::new)
              .orElse(new LocalDetector.NoOp());
    };
  }
}
