package dev.podpath.kernel.socket;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Protocol;

/**
 * A socket bound and listening ({@code ss -ltn}/{@code -lun}/{@code -lSn}): protocol, address (the
 * unspecified address for the wildcard; {@code ::} also takes IPv4, as with {@code bindv6only=0})
 * and port.
 *
 * @param owner a label for the process, shown in traces
 */
public record Listener(Protocol protocol, IpAddress address, int port, String owner) {

  public Listener {
    if (!protocol.hasPorts()) {
      throw new IllegalArgumentException(
          "listener: protocol must be tcp, udp or sctp, got " + protocol);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("listener: port must be 1..65535, got " + port);
    }
  }

  public boolean wildcard() {
    return address.isUnspecified();
  }

  /** Whether a packet to {@code dst} reaches this socket's address. */
  public boolean accepts(IpAddress dst) {
    if (address.equals(dst)) {
      return true;
    }
    return wildcard() && (address.family() == dst.family() || address.family() == IpFamily.IPV6);
  }

  /** {@code 0.0.0.0:80}, {@code [::]:80}, {@code 10.0.0.1:80}. */
  public String endpoint() {
    return (address.family() == IpFamily.IPV6 ? "[" + address + "]" : address.toString())
        + ":"
        + port;
  }

  @Override
  public String toString() {
    return protocol.iptablesName() + " " + endpoint() + " (" + owner + ")";
  }
}
