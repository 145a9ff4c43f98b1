package dev.podpath.kernel.link;

/**
 * A software device with no lower layer that could go away (loopback, dummy, VXLAN, IPIP): it
 * always has carrier, and as its driver never reports an operational state, {@code ip link} shows
 * {@code state UNKNOWN} while it is up ({@code IF_OPER_UNKNOWN}) and {@code DOWN} otherwise.
 */
public abstract sealed class CarrierlessLink extends Link permits Loopback, Dummy, Vxlan, Ipip {

  CarrierlessLink(LinkContainer namespace, String name, int ifindex, MacAddress mac, int mtu) {
    super(namespace, name, ifindex, mac, mtu);
  }

  @Override
  public final boolean carrier() {
    return true;
  }

  @Override
  public final OperState operState() {
    return adminUp() ? OperState.UNKNOWN : OperState.DOWN;
  }
}
