package dev.podpath.policy.model;

import dev.podpath.net.PortSet;
import dev.podpath.net.Protocol;
import java.util.List;

/** One entry of a rule's {@code ports}: numbers (a port, a range, or all), or a named port. */
public sealed interface PortMatch {

  Protocol protocol();

  /** Port numbers of one protocol: a single port, {@code port..endPort}, or every port. */
  record Numbered(Protocol protocol, PortSet ports) implements PortMatch {
    public Numbered {
      if (!List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP).contains(protocol)) {
        throw new IllegalArgumentException(
            "port protocol: must be TCP, UDP or SCTP, got " + protocol);
      }
    }

    @Override
    public String toString() {
      return protocol.name() + (ports.equals(ConnectionSet.PORTS) ? "" : " " + ports);
    }
  }

  /** A port name, resolved on each destination pod's container ports of the same protocol. */
  record Named(Protocol protocol, String name) implements PortMatch {
    @Override
    public String toString() {
      return protocol.name() + " " + name;
    }
  }
}
