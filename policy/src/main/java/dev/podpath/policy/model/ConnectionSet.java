package dev.podpath.policy.model;

import dev.podpath.net.PortSet;
import dev.podpath.net.Protocol;
import java.util.ArrayList;

/**
 * Allowed connections: a set of ports 1-65535 for each of TCP, UDP and SCTP (the protocols
 * NetworkPolicy can name). {@link #toString()} is np-guard's connection string: {@code All
 * Connections}, {@code No Connections} or {@code SCTP 1-65535,TCP 80,UDP 53}.
 */
public record ConnectionSet(PortSet tcp, PortSet udp, PortSet sctp) {

  /** Every port NetworkPolicy can name (port 0 is not part of the space). */
  public static final PortSet PORTS = PortSet.range(1, 65535);

  public static final ConnectionSet ALL = new ConnectionSet(PORTS, PORTS, PORTS);
  public static final ConnectionSet NONE =
      new ConnectionSet(PortSet.NONE, PortSet.NONE, PortSet.NONE);

  public ConnectionSet {
    tcp = tcp.intersection(PORTS);
    udp = udp.intersection(PORTS);
    sctp = sctp.intersection(PORTS);
  }

  public static ConnectionSet of(Protocol protocol, PortSet ports) {
    return switch (protocol) {
      case TCP -> new ConnectionSet(ports, PortSet.NONE, PortSet.NONE);
      case UDP -> new ConnectionSet(PortSet.NONE, ports, PortSet.NONE);
      case SCTP -> new ConnectionSet(PortSet.NONE, PortSet.NONE, ports);
      default -> throw new IllegalArgumentException("protocol: NetworkPolicy has no " + protocol);
    };
  }

  public PortSet ports(Protocol protocol) {
    return switch (protocol) {
      case TCP -> tcp;
      case UDP -> udp;
      case SCTP -> sctp;
      default -> PortSet.NONE;
    };
  }

  public boolean allows(Protocol protocol, int port) {
    return ports(protocol).contains(port);
  }

  public boolean isEmpty() {
    return tcp.isEmpty() && udp.isEmpty() && sctp.isEmpty();
  }

  public boolean isAll() {
    return equals(ALL);
  }

  public ConnectionSet union(ConnectionSet o) {
    if (isEmpty() || o.isAll()) {
      return o;
    }
    if (o.isEmpty() || isAll()) {
      return this;
    }
    return new ConnectionSet(tcp.union(o.tcp), udp.union(o.udp), sctp.union(o.sctp));
  }

  public ConnectionSet intersection(ConnectionSet o) {
    if (isAll() || o.isEmpty()) {
      return o;
    }
    if (o.isAll() || isEmpty()) {
      return this;
    }
    return new ConnectionSet(
        tcp.intersection(o.tcp), udp.intersection(o.udp), sctp.intersection(o.sctp));
  }

  public ConnectionSet difference(ConnectionSet o) {
    return new ConnectionSet(tcp.difference(o.tcp), udp.difference(o.udp), sctp.difference(o.sctp));
  }

  /** The protocols with at least one port, in np-guard's order (SCTP, TCP, UDP). */
  public java.util.List<Protocol> protocols() {
    var out = new ArrayList<Protocol>();
    for (var p : new Protocol[] {Protocol.SCTP, Protocol.TCP, Protocol.UDP}) {
      if (!ports(p).isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    if (isAll()) {
      return "All Connections";
    }
    if (isEmpty()) {
      return "No Connections";
    }
    var parts = new ArrayList<String>();
    for (var p : protocols()) {
      parts.add(p.name() + " " + ports(p));
    }
    return String.join(",", parts);
  }
}
