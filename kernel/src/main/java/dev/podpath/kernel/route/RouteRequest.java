package dev.podpath.kernel.route;

import dev.podpath.kernel.path.AddressType;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import java.util.Optional;

/**
 * What {@code ip route add|del|replace} asks for; absent fields take the kernel's defaults when
 * adding (table main, type unicast, metric 0, scope link without a gateway and global with one,
 * protocol boot) and match anything when deleting. {@code onlink} takes the gateway as directly
 * reachable on the device without a route to it ({@code ip route add … via GW dev D onlink}, as
 * flannel writes its VXLAN routes).
 */
public record RouteRequest(
    IpPrefix destination,
    Optional<AddressType> type,
    Optional<IpAddress> via,
    Optional<String> device,
    Optional<IpAddress> src,
    Optional<Integer> metric,
    Optional<Scope> scope,
    Optional<RouteProtocol> protocol,
    Optional<Integer> table,
    boolean onlink) {

  /** {@code ip route add DEST} with nothing else yet. */
  public static RouteRequest to(IpPrefix destination) {
    return new RouteRequest(
        destination.masked(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false);
  }

  /** {@code ip route add DEST}, the destination parsed ({@code default} is accepted). */
  public static RouteRequest to(String destination) {
    return to(
        destination.equals("default") ? IpPrefix.parse("0.0.0.0/0") : IpPrefix.parse(destination));
  }

  public RouteRequest via(IpAddress gateway) {
    return new RouteRequest(
        destination,
        type,
        Optional.of(gateway),
        device,
        src,
        metric,
        scope,
        protocol,
        table,
        onlink);
  }

  public RouteRequest dev(String name) {
    return new RouteRequest(
        destination, type, via, Optional.of(name), src, metric, scope, protocol, table, onlink);
  }

  public RouteRequest src(IpAddress address) {
    return new RouteRequest(
        destination,
        type,
        via,
        device,
        Optional.of(address),
        metric,
        scope,
        protocol,
        table,
        onlink);
  }

  public RouteRequest metric(int m) {
    return new RouteRequest(
        destination, type, via, device, src, Optional.of(m), scope, protocol, table, onlink);
  }

  public RouteRequest scope(Scope s) {
    return new RouteRequest(
        destination, type, via, device, src, metric, Optional.of(s), protocol, table, onlink);
  }

  public RouteRequest protocol(RouteProtocol p) {
    return new RouteRequest(
        destination, type, via, device, src, metric, scope, Optional.of(p), table, onlink);
  }

  public RouteRequest table(int id) {
    return new RouteRequest(
        destination, type, via, device, src, metric, scope, protocol, Optional.of(id), onlink);
  }

  public RouteRequest type(AddressType t) {
    return new RouteRequest(
        destination, Optional.of(t), via, device, src, metric, scope, protocol, table, onlink);
  }

  /** {@code onlink}: the gateway is on the device's link even without a route to it. */
  public RouteRequest withOnlink() {
    return new RouteRequest(
        destination, type, via, device, src, metric, scope, protocol, table, true);
  }

  /** Whether an existing route is one this request (as a {@code del}) names. */
  public boolean matches(Route r) {
    return r.destination().equals(destination.masked())
        && r.table() == table.orElse(Route.MAIN_TABLE)
        && type.map(t -> t == r.type()).orElse(true)
        && via.map(v -> r.via().equals(Optional.of(v))).orElse(true)
        && device.map(d -> r.device().equals(Optional.of(d))).orElse(true)
        && src.map(s -> r.src().equals(Optional.of(s))).orElse(true)
        && metric.map(m -> m == r.metric()).orElse(true)
        && scope.map(s -> s == r.scope()).orElse(true)
        && protocol.map(p -> p == r.protocol()).orElse(true);
  }
}
