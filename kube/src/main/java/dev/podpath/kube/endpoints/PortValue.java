package dev.podpath.kube.endpoints;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** One port of a slice ({@code name, port, protocol, appProtocol}) as a comparable value. */
public record PortValue(
    String name, @Nullable Integer port, String protocol, @Nullable String appProtocol) {

  private static final Comparator<PortValue> ORDER =
      Comparator.comparing(PortValue::name)
          .thenComparing(p -> Objects.requireNonNullElse(p.port(), 0))
          .thenComparing(PortValue::protocol);

  public static PortValue of(EndpointPort p) {
    return new PortValue(
        Objects.toString(p.getName(), ""),
        p.getPort(),
        Objects.toString(p.getProtocol(), "TCP"),
        p.getAppProtocol());
  }

  public EndpointPort toPort() {
    return new EndpointPort(appProtocol, name, port, protocol);
  }

  /** An order-insensitive key of a port list: the grouping of endpoints into slices. */
  public static String key(List<PortValue> ports) {
    return ports.stream().sorted(ORDER).map(PortValue::toString).collect(Collectors.joining(";"));
  }
}
