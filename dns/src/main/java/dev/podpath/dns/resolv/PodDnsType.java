package dev.podpath.dns.resolv;

import java.util.Locale;

/** The base the kubelet builds a pod's resolver configuration from. */
public enum PodDnsType {
  /** The cluster DNS servers and search domains. */
  CLUSTER,
  /** The node's own resolv.conf. */
  HOST,
  /** Nothing: everything comes from {@code dnsConfig}. */
  NONE;

  /**
   * The kubelet's {@code getPodDNSType}: {@code None} → none; {@code ClusterFirstWithHostNet} →
   * cluster; {@code ClusterFirst} → cluster, or host for a hostNetwork pod; {@code Default} → host;
   * unset is {@code ClusterFirst} (the API server's default).
   */
  public static PodDnsType of(String dnsPolicy, boolean hostNetwork) {
    String policy = dnsPolicy == null || dnsPolicy.isEmpty() ? "ClusterFirst" : dnsPolicy;
    return switch (policy) {
      case "None" -> NONE;
      case "ClusterFirstWithHostNet" -> CLUSTER;
      case "ClusterFirst" -> hostNetwork ? HOST : CLUSTER;
      case "Default" -> HOST;
      default -> throw new IllegalArgumentException("invalid DNSPolicy=" + policy);
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
