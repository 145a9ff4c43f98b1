package dev.podpath.proxy.ipvs;

import dev.podpath.net.IpAddress;
import dev.podpath.net.Ipv6Address;
import dev.podpath.net.Protocol;
import java.util.Comparator;

/**
 * An IPVS virtual service as kube-proxy creates it: address, protocol and port, the scheduler, and
 * persistence ({@code -p TIMEOUT}) for ClientIP session affinity.
 *
 * @param persistenceSeconds 0 when not persistent
 */
public record VirtualServer(
    IpAddress address, Protocol protocol, int port, String scheduler, int persistenceSeconds)
    implements Comparable<VirtualServer> {

  private static final Comparator<VirtualServer> ORDER =
      Comparator.comparing(VirtualServer::protocol)
          .thenComparing(VirtualServer::address)
          .thenComparingInt(VirtualServer::port);

  public VirtualServer {
    if (!protocol.hasPorts()) {
      throw new IllegalArgumentException("protocol: must be TCP, UDP or SCTP, got " + protocol);
    }
  }

  /** The service's identity: protocol, address and port ({@code TCP 10.96.0.1:443}). */
  public Key key() {
    return new Key(protocol, address, port);
  }

  /** {@code address:port}, IPv6 in brackets. */
  public String endpoint() {
    return hostPort(address, port);
  }

  static String hostPort(IpAddress address, int port) {
    return address instanceof Ipv6Address ? "[" + address + "]:" + port : address + ":" + port;
  }

  @Override
  public int compareTo(VirtualServer o) {
    return ORDER.compare(this, o);
  }

  /** What identifies a virtual service in the kernel. */
  public record Key(Protocol protocol, IpAddress address, int port) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return Comparator.comparing(Key::protocol)
          .thenComparing(Key::address)
          .thenComparingInt(Key::port)
          .compare(this, o);
    }

    @Override
    public String toString() {
      return protocol + " " + hostPort(address, port);
    }
  }
}
