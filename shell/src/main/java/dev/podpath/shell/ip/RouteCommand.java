package dev.podpath.shell.ip;

import dev.podpath.kernel.path.AddressType;
import dev.podpath.kernel.route.Route;
import dev.podpath.kernel.route.RouteDecision;
import dev.podpath.kernel.route.RouteProtocol;
import dev.podpath.kernel.route.RouteRequest;
import dev.podpath.kernel.route.Scope;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code ip route add|del|replace|show|get|flush}. */
final class RouteCommand {

  private final IpContext ctx;

  RouteCommand(IpContext ctx) {
    this.ctx = ctx;
  }

  void run(Args args) {
    if (!args.has()) {
      show(args);
      return;
    }
    String verb = args.next();
    if (Args.matches(verb, "add") || verb.equals("append") || verb.equals("prepend")) {
      ctx.ns().routing().addRoute(request(args));
    } else if (Args.matches(verb, "replace") || verb.equals("change")) {
      ctx.ns().routing().replaceRoute(request(args));
    } else if (Args.matches(verb, "delete")) {
      ctx.ns().routing().deleteRoute(request(args));
    } else if (Args.matches(verb, "show") || Args.matches(verb, "list") || verb.equals("lst")) {
      show(args);
    } else if (Args.matches(verb, "get")) {
      get(args);
    } else if (Args.matches(verb, "flush")) {
      flush(args);
    } else {
      throw new IpError(255, "Command \"" + verb + "\" is unknown, try \"ip route help\".");
    }
  }

  private RouteRequest request(Args args) {
    Optional<IpPrefix> dest = Optional.empty();
    Optional<AddressType> type = Optional.empty();
    Optional<IpAddress> via = Optional.empty();
    Optional<String> dev = Optional.empty();
    Optional<IpAddress> src = Optional.empty();
    Optional<Integer> metric = Optional.empty();
    Optional<Integer> table = Optional.empty();
    Optional<Scope> scope = Optional.empty();
    Optional<RouteProtocol> proto = Optional.empty();
    while (args.has()) {
      String w = args.next();
      switch (w) {
        case "via" -> {
          String v = args.value();
          if (v.equals("inet") || v.equals("inet6")) {
            v = args.value();
          }
          via = Optional.of(IpContext.address(v, "any valid address"));
        }
        case "dev", "oif" -> dev = Optional.of(args.value());
        case "src" -> src = Optional.of(IpContext.address(args.value(), "any valid address"));
        case "metric", "priority", "preference" ->
            metric = Optional.of(LinkCommand.integer(args.value(), "metric"));
        case "table" -> table = Optional.of(tableId(args.value()));
        case "scope" -> {
          String s = args.value();
          scope =
              Optional.of(
                  Scope.find(s)
                      .orElseThrow(
                          () ->
                              IpError.usage(
                                  "Error: argument \""
                                      + s
                                      + "\" is wrong: invalid \"scope\" value")));
        }
        case "proto", "protocol" -> {
          String p = args.value();
          proto =
              Optional.of(
                  RouteProtocol.find(p)
                      .orElseThrow(
                          () ->
                              IpError.usage(
                                  "Error: argument \""
                                      + p
                                      + "\" is wrong: \"protocol\" value is invalid\n")));
        }
        case "onlink", "mtu", "advmss", "realm", "realms", "initcwnd", "pref" -> {
          if (!w.equals("onlink")) {
            args.value();
          }
        }
        case "unicast",
            "local",
            "broadcast",
            "blackhole",
            "unreachable",
            "prohibit",
            "throw",
            "multicast",
            "anycast" -> {
          if (dest.isPresent()) {
            throw IpError.usage(
                "Error: either \"to\" is duplicate, or \"" + w + "\" is a garbage.");
          }
          type = Optional.of(AddressType.valueOf(w.toUpperCase(Locale.ROOT)));
        }
        case "to" -> dest = Optional.of(IpContext.prefix(args.value(), true));
        default -> {
          if (dest.isPresent()) {
            throw IpError.usage(
                "Error: either \"to\" is duplicate, or \"" + w + "\" is a garbage.");
          }
          IpPrefix p = IpContext.prefix(w, true);
          dest = Optional.of(p);
        }
      }
    }
    if (dest.isEmpty()) {
      throw IpError.incomplete();
    }
    IpPrefix d = dest.get();
    if (d.length() == 0 && via.isPresent() && via.get().family() == IpFamily.IPV6) {
      d = IpPrefix.parse("::/0");
    }
    if (!d.equals(d.masked())) {
      throw IpError.usage("Error: Invalid prefix for given prefix length.");
    }
    if (dev.isPresent()) {
      ctx.device(dev.get());
    }
    RouteRequest r = RouteRequest.to(d);
    if (type.isPresent()) {
      r = r.type(type.get());
    }
    if (via.isPresent()) {
      r = r.via(via.get());
    }
    if (dev.isPresent()) {
      r = r.dev(dev.get());
    }
    if (src.isPresent()) {
      r = r.src(src.get());
    }
    if (metric.isPresent()) {
      r = r.metric(metric.get());
    }
    if (table.isPresent()) {
      r = r.table(table.get());
    }
    if (scope.isPresent()) {
      r = r.scope(scope.get());
    }
    if (proto.isPresent()) {
      r = r.protocol(proto.get());
    }
    return r;
  }

  static int tableId(String name) {
    return switch (name) {
      case "main" -> Route.MAIN_TABLE;
      case "local" -> Route.LOCAL_TABLE;
      case "default" -> Route.DEFAULT_TABLE;
      case "all" -> 0;
      default -> {
        try {
          int id = Integer.parseInt(name);
          if (id >= 0) {
            yield id;
          }
        } catch (NumberFormatException e) {
          // below
        }
        throw IpError.usage(
            "Error: argument \"" + name + "\" is wrong: \"table\" value is invalid\n");
      }
    };
  }

  private void show(Args args) {
    int table = Route.MAIN_TABLE;
    Optional<String> dev = Optional.empty();
    Optional<IpPrefix> exact = Optional.empty();
    Optional<IpAddress> via = Optional.empty();
    while (args.has()) {
      String w = args.next();
      switch (w) {
        case "table" -> table = tableId(args.value());
        case "dev", "oif" -> dev = Optional.of(args.value());
        case "via" -> via = Optional.of(IpContext.address(args.value(), "any valid address"));
        case "proto", "scope", "type", "src", "metric" -> args.value();
        case "root", "match", "exact", "to" ->
            exact = Optional.of(IpContext.prefix(args.value(), true));
        default -> exact = Optional.of(IpContext.prefix(w, true));
      }
    }
    if (dev.isPresent()) {
      String d = dev.get();
      ctx.ns().findLink(d).orElseThrow(() -> IpError.usage("Cannot find device \"" + d + "\""));
    }
    boolean all = table == 0;
    List<Route> routes = all ? ctx.ns().routing().allRoutes() : ctx.ns().routing().routes(table);
    Optional<IpFamily> family =
        ctx.options().family().or(() -> all ? Optional.empty() : Optional.of(IpFamily.IPV4));
    for (Route r : routes) {
      if (family.isPresent() && r.destination().family() != family.get()) {
        continue;
      }
      if (dev.isPresent() && !r.device().equals(dev)) {
        continue;
      }
      if (via.isPresent() && !r.via().equals(via)) {
        continue;
      }
      if (exact.isPresent() && !r.destination().equals(exact.get().masked())) {
        continue;
      }
      ctx.out().append(line(r, all, dev.isPresent())).append('\n');
    }
  }

  /** A route as {@code ip route} prints it, with its trailing space. */
  String line(Route r, boolean withTable, boolean withoutDev) {
    String text = r.toString();
    if (!withTable && r.table() != Route.MAIN_TABLE) {
      text = text.replace(" table " + Route.tableName(r.table()), "");
    }
    if (withoutDev && r.device().isPresent()) {
      text = text.replace(" dev " + r.device().get(), "");
    }
    boolean linkdown =
        r.device().flatMap(d -> ctx.ns().findLink(d)).map(l -> !l.carrier()).orElse(false)
            && r.type() != AddressType.LOCAL;
    if (linkdown) {
      text += " linkdown";
    }
    // iproute2 prints the route's flags (linkdown) before the IPv6 router preference
    if (r.destination().family() == IpFamily.IPV6 && r.type() != AddressType.LOCAL) {
      text += " pref medium";
    }
    return r.destination().family() == IpFamily.IPV6 ? text : text + " ";
  }

  private void get(Args args) {
    Optional<IpAddress> dest = Optional.empty();
    while (args.has()) {
      String w = args.next();
      switch (w) {
        case "from", "iif", "oif", "dev", "mark", "tos", "sport", "dport", "ipproto", "uid" ->
            args.value();
        case "to" -> dest = Optional.of(IpContext.address(args.value(), "any valid address"));
        case "connected", "fibmatch" -> {}
        default -> dest = Optional.of(IpContext.prefix(w, false).address());
      }
    }
    if (dest.isEmpty()) {
      throw IpError.incomplete();
    }
    RouteDecision d = ctx.ns().routing().routeGet(dest.get());
    boolean local = d.type() == AddressType.LOCAL;
    String text = d.toString();
    if (d.route().table() == Route.LOCAL_TABLE) {
      text = text.replace(" table local", "");
    }
    ctx.out()
        .append(text)
        .append(" uid 0 \n    cache ")
        .append(local ? "<local> " : "")
        .append('\n');
  }

  private void flush(Args args) {
    Optional<String> dev = Optional.empty();
    int table = Route.MAIN_TABLE;
    while (args.has()) {
      String w = args.next();
      switch (w) {
        case "dev" -> dev = Optional.of(args.value());
        case "table" -> table = tableId(args.value());
        default -> throw IpError.garbage("a route selector", w);
      }
    }
    for (Route r : List.copyOf(ctx.ns().routing().routes(table == 0 ? Route.MAIN_TABLE : table))) {
      if (dev.isPresent() && !r.device().equals(dev)) {
        continue;
      }
      if (r.destination().family() != ctx.options().family().orElse(IpFamily.IPV4)) {
        continue;
      }
      var req = RouteRequest.to(r.destination()).table(r.table()).type(r.type()).metric(r.metric());
      if (r.device().isPresent()) {
        req = req.dev(r.device().get());
      }
      ctx.ns().routing().deleteRoute(req);
    }
  }
}
