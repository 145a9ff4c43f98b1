package dev.podpath.kernel;

import dev.podpath.kernel.link.Link;
import dev.podpath.kernel.link.LinkKind;
import dev.podpath.kernel.path.AddressType;
import dev.podpath.kernel.route.InterfaceAddress;
import dev.podpath.kernel.route.Route;
import dev.podpath.kernel.route.RouteDecision;
import dev.podpath.kernel.route.RouteProtocol;
import dev.podpath.kernel.route.RouteRequest;
import dev.podpath.kernel.route.RoutingTable;
import dev.podpath.kernel.route.Scope;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The addresses and routing tables of one namespace, with the kernel's side effects: an address
 * brings its {@code local} route at once, and its subnet and broadcast routes while its device is
 * up; taking a device down removes those and every route through it; a route's gateway must be
 * reachable on a link. Look-ups go through the local, main and default tables in that order (the
 * default policy rules) by longest prefix, then metric.
 */
public final class Routing {

  private final NetNamespace ns;
  private final List<InterfaceAddress> addresses = new ArrayList<>();
  private final TreeMap<Integer, RoutingTable> tables = new TreeMap<>();

  Routing(NetNamespace ns) {
    this.ns = ns;
    table(Route.LOCAL_TABLE);
    table(Route.MAIN_TABLE);
    table(Route.DEFAULT_TABLE);
  }

  private RoutingTable table(int id) {
    return tables.computeIfAbsent(id, RoutingTable::new);
  }

  // ---------------------------------------------------------------- addresses

  /** Every address, by device index then in the order added ({@code ip addr}). */
  public List<InterfaceAddress> addresses() {
    var out = new ArrayList<InterfaceAddress>();
    for (var l : ns.links()) {
      out.addAll(addresses(l.name()));
    }
    return out;
  }

  /** The addresses of one device, IPv4 first, primaries before secondaries, in the order added. */
  public List<InterfaceAddress> addresses(String device) {
    var out = new ArrayList<InterfaceAddress>();
    for (var fam : IpFamily.values()) {
      addresses.stream()
          .filter(a -> a.device().equals(device) && a.family() == fam && !a.secondary())
          .forEach(out::add);
      addresses.stream()
          .filter(a -> a.device().equals(device) && a.family() == fam && a.secondary())
          .forEach(out::add);
    }
    return out;
  }

  /**
   * {@code ip addr add PREFIX dev DEVICE [brd B] [scope S] [label L]}. Addresses in 127.0.0.0/8
   * default to scope host, as iproute2 does. A second address in a subnet the device already has
   * becomes {@code secondary}.
   */
  public void addAddress(
      String device,
      IpPrefix prefix,
      Optional<Scope> scope,
      Optional<IpAddress> broadcast,
      Optional<String> label) {
    Link link = ns.link(device);
    for (var a : addresses) {
      if (a.device().equals(device) && a.address().equals(prefix.address())) {
        throw KernelException.extack(
            Errno.EEXIST,
            (prefix.family() == IpFamily.IPV4 ? "ipv4" : "ipv6") + ": Address already assigned.");
      }
    }
    boolean secondary =
        addresses.stream()
            .anyMatch(
                a ->
                    a.device().equals(device)
                        && a.family() == prefix.family()
                        && a.prefix().length() == prefix.length()
                        && a.subnet().equals(prefix.masked()));
    Scope s = scope.orElse(prefix.address().isLoopback() ? Scope.HOST : Scope.GLOBAL);
    var a = new InterfaceAddress(device, prefix, s, broadcast, label.orElse(device), secondary);
    addresses.add(a);
    addKernelRoutes(a, link);
  }

  /**
   * {@code ip addr del PREFIX dev DEVICE}. Deleting a primary promotes nothing
   * (promote_secondaries=0): its secondaries go too.
   */
  public void deleteAddress(String device, IpPrefix prefix) {
    ns.link(device);
    var found =
        addresses.stream()
            .filter(
                a ->
                    a.device().equals(device)
                        && a.address().equals(prefix.address())
                        && (prefix.isHost() || a.prefix().length() == prefix.length()))
            .findFirst();
    if (found.isEmpty()) {
      throw KernelException.extack(
          Errno.EADDRNOTAVAIL,
          (prefix.family() == IpFamily.IPV4 ? "ipv4" : "ipv6") + ": Address not found.");
    }
    var a = found.get();
    var gone = new ArrayList<InterfaceAddress>();
    gone.add(a);
    if (!a.secondary()) {
      addresses.stream()
          .filter(
              o ->
                  o.secondary()
                      && o.device().equals(device)
                      && o.subnet().equals(a.subnet())
                      && o.prefix().length() == a.prefix().length())
          .forEach(gone::add);
    }
    for (var g : gone) {
      addresses.remove(g);
      removeKernelRoutes(g);
    }
  }

  /** {@code ip addr flush dev DEVICE}. */
  public void flushAddresses(String device) {
    for (var a : List.copyOf(addresses)) {
      if (a.device().equals(device)) {
        addresses.remove(a);
        removeKernelRoutes(a);
      }
    }
  }

  private void addKernelRoutes(InterfaceAddress a, Link link) {
    var addr = a.address();
    var src = Optional.of(addr);
    var dev = Optional.of(a.device());
    if (a.family() == IpFamily.IPV6) {
      table(Route.LOCAL_TABLE)
          .add(
              new Route(
                  Route.LOCAL_TABLE,
                  AddressType.LOCAL,
                  IpPrefix.host(addr),
                  Optional.empty(),
                  dev,
                  Optional.empty(),
                  0,
                  Scope.GLOBAL,
                  RouteProtocol.KERNEL));
      if (link.adminUp() && !a.prefix().isHost()) {
        table(Route.MAIN_TABLE)
            .add(
                new Route(
                    Route.MAIN_TABLE,
                    AddressType.UNICAST,
                    a.subnet(),
                    Optional.empty(),
                    dev,
                    Optional.empty(),
                    256,
                    Scope.GLOBAL,
                    RouteProtocol.KERNEL));
      }
      return;
    }
    table(Route.LOCAL_TABLE)
        .add(
            new Route(
                Route.LOCAL_TABLE,
                AddressType.LOCAL,
                IpPrefix.host(addr),
                Optional.empty(),
                dev,
                src,
                0,
                Scope.HOST,
                RouteProtocol.KERNEL));
    boolean loopback = link.kind() == LinkKind.LOOPBACK;
    if (loopback && !a.prefix().isHost() && !a.secondary()) {
      table(Route.LOCAL_TABLE)
          .add(
              new Route(
                  Route.LOCAL_TABLE,
                  AddressType.LOCAL,
                  a.subnet(),
                  Optional.empty(),
                  dev,
                  src,
                  0,
                  Scope.HOST,
                  RouteProtocol.KERNEL));
    }
    if (!link.adminUp() && !loopback) {
      return;
    }
    if (!a.secondary() && !loopback && a.prefix().length() < 32) {
      table(Route.MAIN_TABLE)
          .add(
              new Route(
                  Route.MAIN_TABLE,
                  AddressType.UNICAST,
                  a.subnet(),
                  Optional.empty(),
                  dev,
                  src,
                  0,
                  Scope.LINK,
                  RouteProtocol.KERNEL));
    }
    Optional<IpAddress> brd =
        a.broadcast()
            .or(() -> a.prefix().length() < 31 ? Optional.of(a.prefix().last()) : Optional.empty());
    if (brd.isPresent()
        && table(Route.LOCAL_TABLE).exact(IpPrefix.host(brd.get())).stream()
            .noneMatch(r -> r.device().equals(dev) && r.type() == AddressType.BROADCAST)) {
      table(Route.LOCAL_TABLE)
          .add(
              new Route(
                  Route.LOCAL_TABLE,
                  AddressType.BROADCAST,
                  IpPrefix.host(brd.get()),
                  Optional.empty(),
                  dev,
                  src,
                  0,
                  Scope.LINK,
                  RouteProtocol.KERNEL));
    }
  }

  private void removeKernelRoutes(InterfaceAddress a) {
    var src = Optional.of(a.address());
    for (var t : tables.values()) {
      t.removeIf(
          r ->
              r.protocol() == RouteProtocol.KERNEL
                  && r.device().equals(Optional.of(a.device()))
                  && (r.src().equals(src)
                      || (a.family() == IpFamily.IPV6
                          && (r.destination().equals(IpPrefix.host(a.address()))
                              || r.destination().equals(a.subnet())))));
    }
  }

  // ---------------------------------------------------------------- device events

  void linkUp(Link link) {
    for (var a : addresses(link.name())) {
      removeKernelRoutes(a);
      addKernelRoutes(a, link);
    }
  }

  /** Devices (by ifindex) last seen administratively up, to find the transition to down. */
  private final java.util.Set<Integer> seenUp = new java.util.HashSet<>();

  /**
   * Devices (by ifindex) addrconf has configured since they last went up ({@code IF_READY}): their
   * link-local is made once, from the MAC of that moment, not again when the MAC changes.
   */
  private final java.util.Set<Integer> configured = new java.util.HashSet<>();

  /**
   * IPv6 link-local addressing: a device that is up with carrier (not loopback) has its EUI-64
   * {@code fe80::/64} address (unless {@code disable_ipv6} is set for it or for all); a device that
   * goes down loses every IPv6 address ({@code keep_addr_on_down=0}), as seen on 6.18. The address
   * is made once per up, when the device first runs: a bridge whose MAC then follows a port keeps
   * the link-local of its first MAC (seen on 6.18).
   */
  void refreshLinkLocal(Link link) {
    if (link.kind() == LinkKind.LOOPBACK || ns.findLink(link.name()).orElse(null) != link) {
      return;
    }
    var ll = linkLocal(link);
    boolean has =
        addresses.stream().anyMatch(a -> a.device().equals(link.name()) && a.address().equals(ll));
    boolean disabled =
        !ns.sysctls().find("net.ipv6.conf.all.disable_ipv6").orElse("0").equals("0")
            || !ns.sysctls()
                .find("net.ipv6.conf." + Sysctls.deviceKey(link.name()) + ".disable_ipv6")
                .orElse("0")
                .equals("0");
    if (link.running() && !disabled && configured.add(link.ifindex()) && !has) {
      var a =
          new InterfaceAddress(
              link.name(), new IpPrefix(ll, 64), Scope.LINK, Optional.empty(), link.name(), false);
      addresses.add(a);
      addKernelRoutes(a, link);
    }
    boolean wasUp = link.adminUp() ? !seenUp.add(link.ifindex()) : seenUp.remove(link.ifindex());
    if (!link.adminUp() && wasUp) {
      configured.remove(link.ifindex());
      // NETDEV_DOWN: only the transition to down flushes; addresses added while down are kept
      for (var a : List.copyOf(addresses)) {
        if (a.device().equals(link.name()) && a.family() == IpFamily.IPV6) {
          addresses.remove(a);
          removeKernelRoutes(a);
        }
      }
    }
  }

  /** fe80::/64 with the EUI-64 interface identifier of the device's MAC (U/L bit flipped). */
  static IpAddress linkLocal(Link link) {
    long mac = link.mac().bits();
    long hi = (mac >>> 24) ^ 0x020000L;
    long lo = mac & 0xffffffL;
    long iid = (hi << 40) | (0xfffeL << 24) | lo;
    return new dev.podpath.net.Ipv6Address(0xfe80_0000_0000_0000L, iid);
  }

  /** A device went down: its subnet and broadcast routes and every route through it go. */
  void linkDown(Link link) {
    var dev = Optional.of(link.name());
    for (var t : tables.values()) {
      t.removeIf(
          r ->
              r.device().equals(dev)
                  && !(r.protocol() == RouteProtocol.KERNEL && r.type() == AddressType.LOCAL));
    }
  }

  void linkRemoved(Link link) {
    // addrconf state lives in the device: another device given this index later starts afresh
    seenUp.remove(link.ifindex());
    configured.remove(link.ifindex());
    var dev = Optional.of(link.name());
    addresses.removeIf(a -> a.device().equals(link.name()));
    for (var t : tables.values()) {
      t.removeIf(r -> r.device().equals(dev));
    }
  }

  void linkRenamed(String from, String to) {
    addresses.replaceAll(a -> a.device().equals(from) ? a.withDevice(to) : a);
    for (var t : tables.values()) {
      for (var r : t.routes()) {
        if (r.device().equals(Optional.of(from))) {
          t.remove(r);
          t.add(r.withDevice(to));
        }
      }
    }
  }

  // ---------------------------------------------------------------- routes

  /** The table ids that have routes, ascending. */
  public List<Integer> tableIds() {
    return tables.entrySet().stream()
        .filter(e -> !e.getValue().routes().isEmpty())
        .map(e -> e.getKey())
        .toList();
  }

  /** The routes of a table ({@code ip route show table ID}). */
  public List<Route> routes(int table) {
    var t = tables.get(table);
    return t == null ? List.of() : t.routes();
  }

  /** {@code ip route show table all}: main and numbered tables, then local. */
  public List<Route> allRoutes() {
    var out = new ArrayList<Route>();
    tables.forEach(
        (id, t) -> {
          if (id != Route.LOCAL_TABLE) {
            out.addAll(t.routes());
          }
        });
    out.addAll(routes(Route.LOCAL_TABLE));
    return out;
  }

  /** {@code ip route add}: EEXIST when the table has a route to the prefix with that metric. */
  public Route addRoute(RouteRequest req) {
    Route r = resolve(req);
    var existing =
        table(r.table()).exact(r.destination()).stream()
            .filter(e -> e.metric() == r.metric())
            .toList();
    if (!existing.isEmpty()) {
      throw KernelException.rtnetlink(Errno.EEXIST);
    }
    table(r.table()).add(r);
    return r;
  }

  /** {@code ip route replace}: adds, or replaces the route to the prefix with that metric. */
  public Route replaceRoute(RouteRequest req) {
    Route r = resolve(req);
    var t = table(r.table());
    t.exact(r.destination()).stream().filter(e -> e.metric() == r.metric()).forEach(t::remove);
    t.add(r);
    return r;
  }

  /** {@code ip route del}: the first route the request names; ESRCH when none. */
  public Route deleteRoute(RouteRequest req) {
    req.device().ifPresent(ns::link);
    var t = tables.get(req.table().orElse(Route.MAIN_TABLE));
    var victim =
        t == null
            ? Optional.<Route>empty()
            : t.exact(req.destination()).stream().filter(req::matches).findFirst();
    if (victim.isEmpty()) {
      throw KernelException.rtnetlink(Errno.ESRCH);
    }
    t.remove(victim.get());
    return victim.get();
  }

  /** Fills in a request's defaults and checks it as {@code fib_create_info} does. */
  private Route resolve(RouteRequest req) {
    var type = req.type().orElse(AddressType.UNICAST);
    int tableId =
        req.table()
            .orElse(
                type == AddressType.LOCAL || type == AddressType.BROADCAST
                    ? Route.LOCAL_TABLE
                    : Route.MAIN_TABLE);
    Optional<String> dev = req.device();
    dev.ifPresent(
        d -> {
          if (!ns.link(d).adminUp() && req.via().isEmpty() && type == AddressType.UNICAST) {
            throw KernelException.extack(Errno.ENETDOWN, "Nexthop device is not up.");
          }
        });
    if (req.via().isPresent()) {
      var gw = req.via().get();
      if (gw.family() != req.destination().family()) {
        throw KernelException.extack(Errno.EINVAL, "Invalid gateway address family.");
      }
      if (req.onlink()) {
        if (dev.isEmpty()) {
          throw KernelException.tool(Errno.EINVAL, "Error: onlink needs a device.");
        }
      } else {
        dev = Optional.of(gatewayDevice(gw, dev));
      }
    } else if (dev.isEmpty() && type == AddressType.UNICAST) {
      throw KernelException.tool(
          Errno.EINVAL,
          "Error: either \"to\" is duplicate, or \"" + req.destination() + "\" is a garbage.");
    }
    if (req.src().isPresent() && !isLocal(req.src().get())) {
      throw KernelException.extack(Errno.EINVAL, "Invalid prefsrc address.");
    }
    Scope scope =
        req.scope()
            .orElse(
                switch (type) {
                  case LOCAL -> Scope.HOST;
                  case BROADCAST -> Scope.LINK;
                  case UNICAST -> req.via().isPresent() ? Scope.GLOBAL : Scope.LINK;
                  default -> Scope.GLOBAL;
                });
    int metric = req.metric().orElse(req.destination().family() == IpFamily.IPV6 ? 1024 : 0);
    return new Route(
        tableId,
        type,
        req.destination().masked(),
        req.via(),
        dev,
        req.src(),
        metric,
        scope,
        req.protocol().orElse(RouteProtocol.BOOT));
  }

  /** The device a gateway is reachable on: a link-scope route to it, on {@code dev} if given. */
  private String gatewayDevice(IpAddress gw, Optional<String> dev) {
    if (isLocal(gw)) {
      throw KernelException.extack(Errno.EINVAL, "Nexthop has invalid gateway.");
    }
    var r =
        table(Route.MAIN_TABLE)
            .lookup(
                gw,
                x ->
                    x.type() == AddressType.UNICAST
                        && x.via().isEmpty()
                        && (x.scope().value() >= Scope.LINK.value() || gw.family() == IpFamily.IPV6)
                        && x.device().isPresent()
                        && (dev.isEmpty() || x.device().equals(dev)));
    if (r.isEmpty()) {
      throw KernelException.extack(Errno.ENETUNREACH, "Nexthop has invalid gateway.");
    }
    return r.get().device().orElseThrow();
  }

  // ---------------------------------------------------------------- look-ups

  /** The route to {@code destination} (local, main, default tables), if any. */
  public Optional<RouteDecision> lookup(IpAddress destination) {
    for (int id : new int[] {Route.LOCAL_TABLE, Route.MAIN_TABLE, Route.DEFAULT_TABLE}) {
      var t = tables.get(id);
      var r = t.lookup(destination, this::usable);
      if (r.isPresent()) {
        return Optional.of(decide(destination, r.get()));
      }
    }
    return Optional.empty();
  }

  /** {@code ip route get ADDR}: the decision, or ENETUNREACH as the kernel answers. */
  public RouteDecision routeGet(IpAddress destination) {
    var d = lookup(destination).orElseThrow(() -> KernelException.rtnetlink(Errno.ENETUNREACH));
    return switch (d.type()) {
      case UNREACHABLE -> throw KernelException.rtnetlink(Errno.EHOSTUNREACH);
      case BLACKHOLE -> throw KernelException.rtnetlink(Errno.EINVAL);
      case PROHIBIT -> throw KernelException.rtnetlink(Errno.EPERM);
      default -> d;
    };
  }

  private boolean usable(Route r) {
    if (r.type() == AddressType.LOCAL || r.device().isEmpty()) {
      return true;
    }
    return ns.findLink(r.device().get()).map(Link::adminUp).orElse(false);
  }

  private RouteDecision decide(IpAddress destination, Route r) {
    String dev = r.type() == AddressType.LOCAL ? "lo" : r.device().orElse("lo");
    Optional<IpAddress> src = r.src();
    if (src.isEmpty() && r.type() == AddressType.LOCAL) {
      src = Optional.of(destination);
    }
    if (src.isEmpty() && r.device().isPresent()) {
      src = selectSource(r.device().get(), r.via().orElse(destination), r.scope());
    }
    return new RouteDecision(destination, r, dev, r.via(), src);
  }

  /**
   * {@code inet_select_addr}: a primary address of {@code device} whose scope is no narrower than
   * {@code scope}, preferring one on the destination's subnet; else a non-link-scope address of
   * another device, in device order.
   */
  public Optional<IpAddress> selectSource(String device, IpAddress destination, Scope scope) {
    Optional<IpAddress> first = Optional.empty();
    for (var a : addresses(device)) {
      if (a.family() != destination.family()
          || a.secondary()
          || a.scope().value() > scope.value()) {
        continue;
      }
      if (a.subnet().contains(destination)) {
        return Optional.of(a.address());
      }
      if (first.isEmpty()) {
        first = Optional.of(a.address());
      }
    }
    if (first.isPresent()) {
      return first;
    }
    for (var l : ns.links()) {
      for (var a : addresses(l.name())) {
        if (a.family() == destination.family()
            && a.scope() != Scope.LINK
            && a.scope().value() <= scope.value()) {
          return Optional.of(a.address());
        }
      }
    }
    return Optional.empty();
  }

  /** Whether {@code address} is one of the namespace's own ({@code local} table, type local). */
  public boolean isLocal(IpAddress address) {
    return tables
        .get(Route.LOCAL_TABLE)
        .lookup(address, r -> true)
        .map(r -> r.type() == AddressType.LOCAL)
        .orElse(false);
  }

  /**
   * {@code inet_addr_type_dev_table}: the address's type from the local table, on a device if
   * given.
   */
  public AddressType addressType(IpAddress address, Optional<String> device) {
    if (address.isUnspecified() || address.equals(dev.podpath.net.Ipv4Address.BROADCAST)) {
      return AddressType.BROADCAST;
    }
    if (address.isMulticast()) {
      return AddressType.MULTICAST;
    }
    var r = tables.get(Route.LOCAL_TABLE).lookup(address, x -> true);
    if (r.isPresent() && (device.isEmpty() || r.get().device().equals(device))) {
      return r.get().type();
    }
    return AddressType.UNICAST;
  }
}
