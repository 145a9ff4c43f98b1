package dev.podpath.shell.ip;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.link.Link;
import dev.podpath.kernel.route.InterfaceAddress;
import dev.podpath.kernel.route.Scope;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code ip addr add|del|show|flush}. */
final class AddrCommand {

  private final IpContext ctx;

  AddrCommand(IpContext ctx) {
    this.ctx = ctx;
  }

  void run(Args args) {
    if (!args.has()) {
      show(args);
      return;
    }
    String verb = args.next();
    if (Args.matches(verb, "add") || verb.equals("replace") || verb.equals("change")) {
      change(args, true);
    } else if (Args.matches(verb, "delete")) {
      change(args, false);
    } else if (Args.matches(verb, "show") || Args.matches(verb, "list") || verb.equals("lst")) {
      show(args);
    } else if (Args.matches(verb, "flush")) {
      flush(args);
    } else {
      throw new IpError(255, "Command \"" + verb + "\" is unknown, try \"ip address help\".");
    }
  }

  private void change(Args args, boolean add) {
    Optional<IpPrefix> prefix = Optional.empty();
    Optional<String> dev = Optional.empty();
    Optional<Scope> scope = Optional.empty();
    Optional<String> brd = Optional.empty();
    Optional<String> label = Optional.empty();
    while (args.has()) {
      String w = args.next();
      switch (w) {
        case "dev" -> dev = Optional.of(args.value());
        case "scope" -> {
          String s = args.value();
          scope =
              Optional.of(
                  Scope.find(s)
                      .orElseThrow(
                          () ->
                              IpError.usage(
                                  "Error: argument \"" + s + "\" is wrong: invalid scope value.")));
        }
        case "brd", "broadcast" -> brd = Optional.of(args.value());
        case "label" -> label = Optional.of(args.value());
        case "local" -> prefix = Optional.of(IpContext.prefix(args.value(), false));
        case "valid_lft", "preferred_lft", "peer", "metric" -> args.value();
        case "noprefixroute", "nodad", "home" -> {}
        default -> {
          if (prefix.isPresent()) {
            throw IpError.usage(
                "Error: either \"local\" is duplicate, or \"" + w + "\" is a garbage.");
          }
          prefix = Optional.of(IpContext.prefix(w, false));
        }
      }
    }
    if (dev.isEmpty()) {
      throw IpError.usage("Not enough information: \"dev\" argument is required.");
    }
    if (prefix.isEmpty()) {
      throw IpError.incomplete();
    }
    ctx.device(dev.get());
    IpPrefix p = prefix.get();
    Optional<IpAddress> broadcast =
        brd.map(
            b ->
                b.equals("+")
                    ? broadcastOf(p)
                    : b.equals("-")
                        ? p.masked().address()
                        : IpContext.address(b, "an inet address"));
    if (add) {
      ctx.ns().routing().addAddress(dev.get(), p, scope, broadcast, label);
    } else {
      ctx.ns().routing().deleteAddress(dev.get(), p);
    }
  }

  static IpAddress broadcastOf(IpPrefix p) {
    int bits = p.family() == IpFamily.IPV4 ? 32 : 128;
    BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - p.length()).subtract(BigInteger.ONE);
    return IpAddress.fromBigInteger(p.family(), p.address().toBigInteger().or(hostMask));
  }

  private void flush(Args args) {
    Optional<String> dev = Optional.empty();
    while (args.has()) {
      String w = args.next();
      if (w.equals("dev")) {
        dev = Optional.of(args.value());
      } else if (w.equals("scope") || w.equals("label")) {
        args.value();
      } else {
        dev = Optional.of(w);
      }
    }
    if (dev.isEmpty()) {
      throw IpError.usage("Flush requires arguments.");
    }
    String d = dev.get();
    ctx.ns().findLink(d).orElseThrow(() -> IpError.usage("Device \"" + d + "\" does not exist."));
    for (InterfaceAddress a : List.copyOf(ctx.ns().routing().addresses(d))) {
      if (ctx.options().shows(a.family()) && ctx.ns().routing().addresses(d).contains(a)) {
        ctx.ns().routing().deleteAddress(d, a.prefix());
      }
    }
  }

  private void show(Args args) {
    NetNamespace ns = ctx.ns();
    AddrFilter filter = AddrFilter.parse(args, ctx.options(), ns);
    List<Link> links = new ArrayList<>();
    if (filter.dev().isPresent()) {
      String d = filter.dev().get();
      links.add(
          ns.findLink(d).orElseThrow(() -> IpError.usage("Device \"" + d + "\" does not exist.")));
    } else {
      links.addAll(ns.links());
    }
    boolean familySelected = filter.family().isPresent();
    StringBuilder out = ctx.out();
    for (Link l : links) {
      List<InterfaceAddress> all = ns.routing().addresses(l.name());
      if (!filter.selects(ns, l) || !filter.lists(all)) {
        continue;
      }
      List<InterfaceAddress> addrs = all.stream().filter(filter::selects).toList();
      if (ctx.options().brief()) {
        out.append(LinkFormat.briefAddr(ns, l, addrs)).append('\n');
        continue;
      }
      if (filter.withHeader()) {
        out.append(LinkFormat.header(ns, l, false));
        if (familySelected) {
          LinkFormat.netns(ns, l).ifPresent(n -> out.append(" link-netns ").append(n));
          out.append('\n');
        } else {
          out.append('\n').append(LinkFormat.linkLine(ns, l));
          if (ctx.options().details()) {
            out.append(LinkFormat.details(l));
          }
          out.append('\n');
        }
      }
      addrs.forEach(a -> out.append(LinkFormat.addressLines(a)));
    }
  }
}
