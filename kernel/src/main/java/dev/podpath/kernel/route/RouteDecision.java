package dev.podpath.kernel.route;

import dev.podpath.kernel.path.AddressType;
import dev.podpath.net.IpAddress;
import java.util.Optional;

/**
 * The answer of a routing look-up ({@code struct fib_result} plus the chosen source), as {@code ip
 * route get} prints it: {@code 10.9.1.1 via 10.1.0.5 dev eth0 src 10.1.0.1}.
 *
 * @param destination the address looked up
 * @param route the route that matched
 * @param device the output device ({@code lo} for local delivery)
 * @param gateway the next hop when it is not the destination itself
 * @param source the preferred source address, when the namespace has one
 */
public record RouteDecision(
    IpAddress destination,
    Route route,
    String device,
    Optional<IpAddress> gateway,
    Optional<IpAddress> source) {

  public AddressType type() {
    return route.type();
  }

  /** The address whose neighbour entry the packet needs: the gateway, else the destination. */
  public IpAddress nextHop() {
    return gateway.orElse(destination);
  }

  @Override
  public String toString() {
    var sb = new StringBuilder();
    if (route.type() != AddressType.UNICAST) {
      sb.append(route.type().name().toLowerCase(java.util.Locale.ROOT)).append(' ');
    }
    sb.append(destination);
    gateway.ifPresent(g -> sb.append(" via ").append(g));
    sb.append(" dev ").append(device);
    if (route.table() != Route.MAIN_TABLE) {
      sb.append(" table ").append(Route.tableName(route.table()));
    }
    source.ifPresent(s -> sb.append(" src ").append(s));
    return sb.toString();
  }
}
