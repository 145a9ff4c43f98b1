package dev.podpath.kernel.ipvs;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;

/**
 * A real server as {@code ipvsadm -Ln} lists it: {@code -> 10.244.1.5:80 Masq 1 0 0}.
 *
 * @param activeConns connections in an established state
 * @param inactiveConns other connections (UDP, closing TCP)
 */
public record Destination(
    IpAddress address,
    int port,
    ForwardMethod method,
    int weight,
    int activeConns,
    int inactiveConns,
    int upperThreshold,
    int lowerThreshold) {

  /** {@code 10.244.1.5:80}. */
  public String endpoint() {
    return (address.family() == IpFamily.IPV6 ? "[" + address + "]" : address.toString())
        + ":"
        + port;
  }
}
