package dev.podpath.proxy.conntrack;

import dev.podpath.net.IpAddress;
import dev.podpath.net.Protocol;
import java.util.Locale;

/**
 * One conntrack deletion kube-proxy asks for after a sync. {@link #toString()} is the equivalent
 * {@code conntrack -D} command.
 */
public sealed interface ConntrackAction extends Comparable<ConntrackAction> {

  Protocol protocol();

  @Override
  default int compareTo(ConntrackAction o) {
    return toString().compareTo(o.toString());
  }

  /** Entries whose original destination is {@code destination} (a service became reachable). */
  record DeleteByDestination(IpAddress destination, Protocol protocol) implements ConntrackAction {
    @Override
    public String toString() {
      return "conntrack -D -p " + name(protocol) + " --orig-dst " + destination;
    }
  }

  /** Entries to {@code destination} that were DNATed to {@code endpoint} (endpoint gone). */
  record DeleteByNat(IpAddress destination, IpAddress endpoint, Protocol protocol)
      implements ConntrackAction {
    @Override
    public String toString() {
      return "conntrack -D -p "
          + name(protocol)
          + " --orig-dst "
          + destination
          + " --dst-nat "
          + endpoint;
    }
  }

  /** Entries to a node port (a NodePort service became reachable). */
  record DeleteByPort(int port, Protocol protocol) implements ConntrackAction {
    @Override
    public String toString() {
      return "conntrack -D -p " + name(protocol) + " --orig-port-dst " + port;
    }
  }

  /** Entries to a node port that were DNATed to {@code endpoint} (endpoint gone). */
  record DeleteByPortNat(int port, IpAddress endpoint, Protocol protocol)
      implements ConntrackAction {
    @Override
    public String toString() {
      return "conntrack -D -p "
          + name(protocol)
          + " --orig-port-dst "
          + port
          + " --dst-nat "
          + endpoint;
    }
  }

  private static String name(Protocol p) {
    return p.name().toLowerCase(Locale.ROOT);
  }
}
