package dev.podpath.proxy.ipvs;

import dev.podpath.net.IpAddress;
import java.util.Comparator;

/** An IPVS real server (destination) of a virtual service; kube-proxy always uses masquerading. */
public record RealServer(IpAddress address, int port, int weight)
    implements Comparable<RealServer> {

  public RealServer {
    if (weight < 0) {
      throw new IllegalArgumentException("weight: must not be negative, got " + weight);
    }
  }

  /** {@code address:port}, IPv6 in brackets. */
  public String endpoint() {
    return VirtualServer.hostPort(address, port);
  }

  @Override
  public int compareTo(RealServer o) {
    return Comparator.comparing(RealServer::address)
        .thenComparingInt(RealServer::port)
        .compare(this, o);
  }
}
