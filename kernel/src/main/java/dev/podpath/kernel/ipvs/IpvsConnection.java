package dev.podpath.kernel.ipvs;

import dev.podpath.net.IpAddress;
import dev.podpath.net.Protocol;

/**
 * An entry of IPVS's connection table ({@code ipvsadm -Lnc}): client, virtual address, the real
 * server it was bound to, and when it expires on the virtual clock.
 */
public record IpvsConnection(
    Protocol protocol,
    IpAddress client,
    int clientPort,
    IpAddress virtualAddress,
    int virtualPort,
    IpAddress destination,
    int destinationPort,
    ForwardMethod method,
    long expiresNanos) {

  /** The key the table finds an incoming packet by. */
  record Key(
      Protocol protocol,
      IpAddress client,
      int clientPort,
      IpAddress virtualAddress,
      int virtualPort) {}

  Key key() {
    return new Key(protocol, client, clientPort, virtualAddress, virtualPort);
  }
}
