package dev.podpath.proxy.config;

/** {@code mode} of a KubeProxyConfiguration; empty means iptables on Linux. */
public enum ProxyMode {
  IPTABLES("iptables"),
  IPVS("ipvs"),
  NFTABLES("nftables");

  private final String text;

  ProxyMode(String text) {
    this.text = text;
  }

  /** Reads the {@code mode} field; empty text is {@link #IPTABLES}. */
  public static ProxyMode parse(String text) {
    if (text.isEmpty()) {
      return IPTABLES;
    }
    for (ProxyMode m : values()) {
      if (m.text.equals(text)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "mode: must be one of iptables, ipvs, nftables, got \"" + text + "\"");
  }

  @Override
  public String toString() {
    return text;
  }
}
