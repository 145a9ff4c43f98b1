package dev.podpath.proxy.ipvs;

/** The ipset types kube-proxy's IPVS mode creates, with their {@code ipset} names. */
public enum IpSetType {
  HASH_IP("hash:ip"),
  HASH_IP_PORT("hash:ip,port"),
  HASH_IP_PORT_IP("hash:ip,port,ip"),
  HASH_IP_PORT_NET("hash:ip,port,net"),
  BITMAP_PORT("bitmap:port");

  private final String text;

  IpSetType(String text) {
    this.text = text;
  }

  @Override
  public String toString() {
    return text;
  }
}
