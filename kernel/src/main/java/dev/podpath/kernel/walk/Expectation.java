package dev.podpath.kernel.walk;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;

/**
 * The client end of a probe: the connecting socket in {@code namespace}, waiting for an answer from
 * {@code remote}. A packet arriving there answers it when it is the same flow reversed, or an ICMP
 * error about the flow.
 */
record Expectation(
    NetNamespace namespace,
    Protocol protocol,
    IpAddress local,
    int localPort,
    IpAddress remote,
    int remotePort,
    int icmpId) {

  boolean answeredBy(Packet p) {
    if (!p.dst().equals(local)) {
      return false;
    }
    if (p.inner().isPresent()) {
      var in = p.inner().get();
      return in.protocol() == protocol
          && in.src().equals(local)
          && in.dst().equals(remote)
          && (!protocol.hasPorts() || (in.srcPort() == localPort && in.dstPort() == remotePort));
    }
    if (p.protocol() != protocol || !p.src().equals(remote)) {
      return false;
    }
    if (protocol.hasPorts()) {
      return p.srcPort() == remotePort && p.dstPort() == localPort;
    }
    return p.icmpId() == icmpId && (p.icmpType() == 0 || p.icmpType() == 129);
  }
}
