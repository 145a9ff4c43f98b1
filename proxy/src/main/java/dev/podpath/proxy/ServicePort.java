package dev.podpath.proxy;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import java.util.List;

/**
 * What kube-proxy keeps of one Service port (upstream's {@code BaseServicePortInfo}): addresses
 * already parsed, canonical and of the proxier's family, and the traffic policies.
 *
 * @param nodePort 0 when the port has none
 * @param healthCheckNodePort 0 unless the Service is a LoadBalancer with externalTrafficPolicy
 *     Local
 * @param affinitySeconds the ClientIP session-affinity timeout, 0 for no affinity
 */
public record ServicePort(
    ServicePortName name,
    ServiceType type,
    IpAddress clusterIp,
    int port,
    int nodePort,
    List<IpAddress> externalIps,
    List<IpAddress> loadBalancerVips,
    List<IpPrefix> loadBalancerSourceRanges,
    boolean externalPolicyLocal,
    boolean internalPolicyLocal,
    int healthCheckNodePort,
    int affinitySeconds) {

  public ServicePort {
    externalIps = List.copyOf(externalIps);
    loadBalancerVips = List.copyOf(loadBalancerVips);
    loadBalancerSourceRanges = List.copyOf(loadBalancerSourceRanges);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: must be 0..65535, got " + port);
    }
    if (nodePort < 0 || nodePort > 65535) {
      throw new IllegalArgumentException("nodePort: must be 0..65535, got " + nodePort);
    }
  }

  /** Reachable from outside: it has a node port, load-balancer VIPs or external IPs. */
  public boolean externallyAccessible() {
    return nodePort != 0 || !loadBalancerVips.isEmpty() || !externalIps.isEmpty();
  }

  /** Cluster-wide endpoints are needed (internal policy Cluster, or any external traffic). */
  public boolean usesClusterEndpoints() {
    return !internalPolicyLocal || externallyAccessible();
  }

  /** Node-local endpoints are needed (a Local internal policy, or a Local external one). */
  public boolean usesLocalEndpoints() {
    return internalPolicyLocal || (externalPolicyLocal && externallyAccessible());
  }

  public boolean hasClientIpAffinity() {
    return affinitySeconds > 0;
  }
}
