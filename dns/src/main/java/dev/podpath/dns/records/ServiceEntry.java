package dev.podpath.dns.records;

import dev.podpath.net.IpAddress;
import java.util.List;

/** A Service as DNS sees it (CoreDNS's object.Service). */
public record ServiceEntry(
    String namespace,
    String name,
    ServiceKind kind,
    List<IpAddress> clusterIps,
    String externalName,
    List<PortEntry> ports) {

  public ServiceEntry {
    clusterIps = List.copyOf(clusterIps);
    ports = List.copyOf(ports);
  }

  /** The index key, {@code name.namespace} as CoreDNS writes it. */
  public String key() {
    return name + "." + namespace;
  }
}
