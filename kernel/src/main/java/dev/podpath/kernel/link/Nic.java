package dev.podpath.kernel.link;

/** A physical Ethernet interface plugged into a shared L2 segment that joins hosts. */
public final class Nic extends Link {

  private final String segment;

  public Nic(LinkContainer namespace, String name, int ifindex, MacAddress mac, String segment) {
    super(namespace, name, ifindex, mac, 1500);
    this.segment = segment;
  }

  /** The name of the segment (the lab's LAN) the cable goes to. */
  public String segment() {
    return segment;
  }

  @Override
  public LinkKind kind() {
    return LinkKind.NIC;
  }

  @Override
  public boolean carrier() {
    return true;
  }

  @Override
  public String qdisc() {
    return everUp() ? "fq_codel" : "noop";
  }
}
