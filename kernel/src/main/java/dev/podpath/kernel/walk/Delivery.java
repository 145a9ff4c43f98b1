package dev.podpath.kernel.walk;

import dev.podpath.net.IpAddress;

/**
 * Where a packet reached a socket (or the kernel's ICMP echo responder).
 *
 * @param where {@code host} or {@code host/ns}
 * @param localAddress the address:port the server's socket saw as its own
 * @param peerAddress the source the server saw (after any NAT)
 * @param socket the socket, as {@code tcp 0.0.0.0:80 (serve)}, or {@code icmp echo}
 */
public record Delivery(
    String host,
    String namespace,
    String where,
    IpAddress localAddress,
    int localPort,
    IpAddress peerAddress,
    int peerPort,
    String socket) {

  /** {@code 10.0.0.1:80}, or the address alone for ICMP. */
  public String local() {
    return localPort == 0 ? localAddress.toString() : localAddress + ":" + localPort;
  }

  /** {@code 10.0.0.2:40000}, or the address alone for ICMP. */
  public String seenFrom() {
    return peerPort == 0 ? peerAddress.toString() : peerAddress + ":" + peerPort;
  }
}
