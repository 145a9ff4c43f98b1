package dev.podpath.dns.records;

import java.util.List;

/** The ready addresses and ports of one EndpointSlice of a Service (CoreDNS's object.Endpoints). */
public record EndpointGroup(
    String namespace, String serviceName, List<EndpointAddress> addresses, List<PortEntry> ports) {

  public EndpointGroup {
    addresses = List.copyOf(addresses);
    ports = List.copyOf(ports);
  }

  /** The index key, {@code service.namespace}. */
  public String key() {
    return serviceName + "." + namespace;
  }
}
