package dev.podpath.kube.shape;

import java.util.Locale;

/** kube-proxy's {@code --proxy-mode}. */
public enum ProxyMode {
  IPTABLES,
  IPVS,
  NFTABLES;

  /** The flag value: {@code iptables}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
