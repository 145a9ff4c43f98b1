package dev.podpath.node.cni;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;

/**
 * One host-local range after defaults are filled in: allocatable addresses from {@code start} to
 * {@code end} inclusive within {@code subnet}, and the gateway that is never handed out.
 */
public record IpRange(IpPrefix subnet, IpAddress start, IpAddress end, IpAddress gateway) {

  /**
   * Parses a range object, filling in host-local's defaults (start: network+1, end: the last
   * address, below the IPv4 broadcast; gateway: network+1) and validating with its messages.
   */
  public static IpRange parse(
      String subnetText, String startText, String endText, String gatewayText) throws CniException {
    IpPrefix subnet;
    try {
      subnet = IpPrefix.parse(subnetText);
    } catch (IllegalArgumentException e) {
      throw CniException.internal("invalid CIDR address: " + subnetText);
    }
    if (!subnet.masked().equals(subnet)) {
      throw CniException.internal(
          "network has host bits set. For a subnet mask of length "
              + subnet.length()
              + " the network address is "
              + subnet.network());
    }
    int hostBits = subnet.family().bits() - subnet.length();
    if (hostBits < 2) {
      throw CniException.internal("Network " + subnet + " too small to allocate from");
    }
    IpAddress start =
        startText.isEmpty() ? subnet.network().plus(1) : parseIn(subnet, startText, "RangeStart");
    IpAddress end =
        endText.isEmpty()
            ? (subnet.family() == IpFamily.IPV4 ? subnet.last().plus(-1) : subnet.last())
            : parseIn(subnet, endText, "RangeEnd");
    IpAddress gateway =
        gatewayText.isEmpty() ? subnet.network().plus(1) : IpAddress.parse(gatewayText);
    return new IpRange(subnet, start, end, gateway);
  }

  private static IpAddress parseIn(IpPrefix subnet, String text, String what) throws CniException {
    IpAddress a;
    try {
      a = IpAddress.parse(text);
    } catch (IllegalArgumentException e) {
      throw CniException.internal("invalid " + what + " " + text);
    }
    if (!subnet.contains(a)) {
      throw CniException.internal(what + " " + a + " not in network " + subnet);
    }
    return a;
  }

  public boolean contains(IpAddress a) {
    return a.family() == start.family() && a.compareTo(start) >= 0 && a.compareTo(end) <= 0;
  }

  /** {@code start-end}, as host-local names a range in its messages. */
  @Override
  public String toString() {
    return start + "-" + end;
  }
}
