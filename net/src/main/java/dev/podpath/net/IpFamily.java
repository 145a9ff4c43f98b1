package dev.podpath.net;

/** The address family of an IP address, prefix or rule. */
public enum IpFamily {
  IPV4(32),
  IPV6(128);

  private final int bits;

  IpFamily(int bits) {
    this.bits = bits;
  }

  /** The number of bits in an address of this family. */
  public int bits() {
    return bits;
  }
}
