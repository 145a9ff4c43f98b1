package dev.podpath.policy.model;

import dev.podpath.net.Protocol;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What NetworkPolicy analysis needs of a Service: its selector and ports, to find the backend pod
 * and target port a connection is judged on after DNAT.
 */
public record ServiceInfo(
    String namespace, String name, Map<String, String> selector, List<Port> ports) {

  /** A service port; {@code targetPort} is a number or a container port name. */
  public record Port(String name, int port, Protocol protocol, String targetPort) {}

  public ServiceInfo {
    selector = java.util.Collections.unmodifiableMap(new TreeMap<>(selector));
    ports = List.copyOf(ports);
  }

  public String key() {
    return namespace + "/" + name;
  }
}
