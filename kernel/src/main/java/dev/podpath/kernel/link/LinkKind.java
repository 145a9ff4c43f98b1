package dev.podpath.kernel.link;

/** The device types podpath emulates, with the name {@code ip -d link} prints. */
public enum LinkKind {
  LOOPBACK("loopback"),
  VETH("veth"),
  BRIDGE("bridge"),
  DUMMY("dummy"),
  NIC("ether"),
  VXLAN("vxlan"),
  IPIP("ipip");

  private final String ipName;

  LinkKind(String ipName) {
    this.ipName = ipName;
  }

  /** The type name of {@code ip link add ... type NAME} ({@code ether} for a NIC). */
  public String ipName() {
    return ipName;
  }
}
