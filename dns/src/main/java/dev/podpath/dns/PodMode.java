package dev.podpath.dns;

/** CoreDNS's {@code pods} option: how {@code <dashed-ip>.<ns>.pod.<zone>} queries are answered. */
public enum PodMode {
  /** Every pod query is NXDOMAIN (the plugin's default). */
  DISABLED,
  /** Any well-formed dashed IP is answered without checking the API (kubeadm's default). */
  INSECURE,
  /** Only IPs of Pods that exist in that namespace are answered. */
  VERIFIED
}
