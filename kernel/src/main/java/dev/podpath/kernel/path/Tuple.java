package dev.podpath.kernel.path;

import dev.podpath.net.IpAddress;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;

/**
 * A conntrack tuple: the addresses, protocol and ports (for ICMP: type, code and id in the port
 * fields, as conntrack keys echo on the id) that identify one direction of a connection.
 */
public record Tuple(IpAddress src, IpAddress dst, Protocol protocol, int srcPort, int dstPort) {

  /** The tuple of a packet as it is now. */
  public static Tuple of(Packet p) {
    return p.protocol().hasPorts()
        ? new Tuple(p.src(), p.dst(), p.protocol(), p.srcPort(), p.dstPort())
        : new Tuple(p.src(), p.dst(), p.protocol(), p.icmpId(), 0);
  }

  /** The same flow seen from the other side. */
  public Tuple inverse() {
    return new Tuple(dst, src, protocol, dstPort, srcPort);
  }
}
