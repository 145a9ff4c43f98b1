package dev.podpath.proxy;

import dev.podpath.net.Protocol;
import java.util.Locale;
import java.util.Objects;

/**
 * One port of one Service, as kube-proxy names it: {@code namespace/name:port}, or {@code
 * namespace/name} when the port has no name. The protocol is part of the identity (a Service may
 * expose port 53 over TCP and UDP under the same name) but not of {@link #toString()}.
 */
public record ServicePortName(String namespace, String name, String port, Protocol protocol)
    implements Comparable<ServicePortName> {

  public ServicePortName {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(port, "port");
    if (!protocol.hasPorts()) {
      throw new IllegalArgumentException("protocol: must be TCP, UDP or SCTP, got " + protocol);
    }
  }

  /** The Service's {@code namespace/name}, the key change trackers use. */
  public String serviceKey() {
    return namespace + "/" + name;
  }

  /** The lower-case protocol name used in rules and chain hashes ({@code tcp}). */
  public String protocolName() {
    return protocol.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return port.isEmpty() ? serviceKey() : serviceKey() + ":" + port;
  }

  @Override
  public int compareTo(ServicePortName o) {
    int c = toString().compareTo(o.toString());
    return c != 0 ? c : protocol.compareTo(o.protocol);
  }
}
