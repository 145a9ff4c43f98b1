package dev.podpath.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The fields of {@code kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration} podpath uses, with
 * upstream's defaults filled in ({@link #defaults()}); read one with {@link
 * KubeProxyConfigurationReader}.
 *
 * @param clusterCidrs {@code clusterCIDR}, split on commas (one per family at most)
 * @param nodePortAddresses CIDRs, or the single word {@code primary}; empty means all addresses
 */
public record KubeProxyConfiguration(
    ProxyMode mode,
    String hostnameOverride,
    List<String> clusterCidrs,
    String detectLocalMode,
    String bridgeInterface,
    String interfaceNamePrefix,
    boolean masqueradeAll,
    int masqueradeBit,
    boolean localhostNodePorts,
    Duration syncPeriod,
    Duration minSyncPeriod,
    List<String> nodePortAddresses,
    boolean tcpBeLiberal,
    String ipvsScheduler,
    boolean ipvsStrictArp,
    List<String> ipvsExcludeCidrs,
    Duration ipvsTcpTimeout,
    Duration ipvsTcpFinTimeout,
    Duration ipvsUdpTimeout,
    Map<String, Boolean> featureGates) {

  public KubeProxyConfiguration {
    clusterCidrs = List.copyOf(clusterCidrs);
    nodePortAddresses = List.copyOf(nodePortAddresses);
    ipvsExcludeCidrs = List.copyOf(ipvsExcludeCidrs);
    featureGates = Map.copyOf(featureGates);
    if (masqueradeBit < 0 || masqueradeBit > 31) {
      throw new IllegalArgumentException(
          "iptables.masqueradeBit: must be 0..31, got " + masqueradeBit);
    }
  }

  /** Upstream's defaults (what an empty KubeProxyConfiguration means). */
  public static KubeProxyConfiguration defaults() {
    return new KubeProxyConfiguration(
        ProxyMode.IPTABLES,
        "",
        List.of(),
        "ClusterCIDR",
        "",
        "",
        false,
        14,
        true,
        Duration.ofSeconds(30),
        Duration.ofSeconds(1),
        List.of(),
        false,
        "",
        false,
        List.of(),
        Duration.ZERO,
        Duration.ZERO,
        Duration.ZERO,
        Map.of());
  }

  /** The masquerade mark as kube-proxy writes it: {@code 1 << masqueradeBit} as {@code %#08x}. */
  public String masqueradeMark() {
    return String.format("0x%08x", 1L << masqueradeBit);
  }

  /** The IPVS scheduler; empty means {@code rr}. */
  public String scheduler() {
    return ipvsScheduler.isEmpty() ? "rr" : ipvsScheduler;
  }
}
