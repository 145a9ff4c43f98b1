package dev.podpath.shell.ip;

import dev.podpath.kernel.KernelException;
import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.link.Link;
import dev.podpath.kernel.link.Vxlan;
import dev.podpath.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code ip link add|set|show|del}. */
final class LinkCommand extends ObjectCommand {

  LinkCommand(IpContext ctx) {
    super(ctx, "link", "show");
  }

  @Override
  boolean verb(String verb, Args args) {
    if (Args.matches(verb, "add")) {
      add(args);
    } else if (Args.matches(verb, "set") || Args.matches(verb, "change")) {
      set(args);
    } else if (isList(verb)) {
      show(args);
    } else if (Args.matches(verb, "delete")) {
      delete(args);
    } else {
      return false;
    }
    return true;
  }

  private NetNamespace namespaceArg(String name) {
    return ctx.ns()
        .host()
        .findNamespace(name)
        .or(
            () ->
                name.equals(ctx.ns().host().name())
                    ? Optional.of(ctx.ns().host().root())
                    : Optional.empty())
        .orElseThrow(
            () ->
                new IpError(
                    255, "Error: argument \"" + name + "\" is wrong: Invalid \"netns\" value\n"));
  }

  // ---- add --------------------------------------------------------------------------------------

  private void add(Args args) {
    Optional<String> name = Optional.empty();
    Optional<String> type = Optional.empty();
    Optional<Integer> mtu = Optional.empty();
    while (args.has() && type.isEmpty()) {
      String w = args.next();
      if (w.equals("name") || w.equals("dev")) {
        name = Optional.of(args.value());
      } else if (w.equals("type")) {
        type = Optional.of(args.value());
      } else if (w.equals("mtu")) {
        mtu = Optional.of(integer(args.value(), "mtu"));
      } else if (w.equals("up")) {
        throw IpError.usage("Error: \"up\" is not supported by ip link add; use ip link set.");
      } else {
        name = Optional.of(w);
      }
    }
    if (type.isEmpty()) {
      throw IpError.usage("Not enough information: \"type\" argument is required");
    }
    String t = type.get();
    NetNamespace ns = ctx.ns();
    Link created;
    switch (t) {
      case "veth" -> {
        Optional<String> peer = Optional.empty();
        Optional<NetNamespace> peerNs = Optional.empty();
        if (args.accept("peer")) {
          while (args.has()) {
            String w = args.next();
            if (w.equals("name")) {
              peer = Optional.of(args.value());
            } else if (w.equals("netns")) {
              peerNs = Optional.of(namespaceArg(args.value()));
            } else if (w.equals("mtu")) {
              integer(args.value(), "mtu");
            } else {
              peer = Optional.of(w);
            }
          }
        }
        String n = name.orElseGet(() -> freeName(ns, "veth"));
        String p = peer.orElseGet(() -> freeName(peerNsOr(ns, Optional.empty()), "veth", n));
        created = ns.addVeth(n, p, peerNs);
      }
      case "bridge" -> created = ns.addBridge(name.orElseGet(() -> freeName(ns, "bridge")));
      case "dummy" -> created = ns.addDummy(name.orElseGet(() -> freeName(ns, "dummy")));
      case "vxlan" -> created = addVxlan(args, name.orElseGet(() -> freeName(ns, "vxlan")));
      case "ipip" -> created = addIpip(args, name.orElseGet(() -> freeName(ns, "ipip")));
      default ->
          throw KernelException.extack(dev.podpath.kernel.Errno.EOPNOTSUPP, "Unknown device type.");
    }
    if (mtu.isPresent()) {
      ns.setMtu(created.name(), mtu.get());
    }
    if (args.has() && !t.equals("veth")) {
      throw IpError.garbage("a link argument", args.next());
    }
  }

  private static NetNamespace peerNsOr(NetNamespace ns, Optional<NetNamespace> other) {
    return other.orElse(ns);
  }

  private static String freeName(NetNamespace ns, String base, String... taken) {
    for (int i = 0; ; i++) {
      String n = base + i;
      if (ns.findLink(n).isEmpty() && !List.of(taken).contains(n)) {
        return n;
      }
    }
  }

  private Link addVxlan(Args args, String name) {
    Optional<Integer> vni = Optional.empty();
    Optional<IpAddress> local = Optional.empty();
    Optional<IpAddress> remote = Optional.empty();
    Optional<String> dev = Optional.empty();
    Optional<Integer> port = Optional.empty();
    while (args.has()) {
      String w = args.next();
      switch (w) {
        case "id", "vni" -> vni = Optional.of(integer(args.value(), "id"));
        case "local" -> local = Optional.of(IpContext.address(args.value(), "an inet address"));
        case "remote", "group" ->
            remote = Optional.of(IpContext.address(args.value(), "an inet address"));
        case "dev" -> dev = Optional.of(args.value());
        case "dstport" -> port = Optional.of(integer(args.value(), "dstport"));
        case "nolearning", "learning", "proxy", "l2miss", "l3miss", "udpcsum", "noudpcsum" -> {}
        case "ttl", "tos", "ageing", "srcport" -> args.value();
        default -> throw IpError.garbage("a vxlan argument", w);
      }
    }
    if (vni.isEmpty()) {
      throw IpError.usage("vxlan: missing virtual network identifier");
    }
    if (dev.isPresent()) {
      ctx.device(dev.get());
    }
    return ctx.ns()
        .addVxlan(name, vni.get(), local, remote, dev, port.orElse(Vxlan.LINUX_DEFAULT_PORT));
  }

  /**
   * {@code ip link add NAME type ipip [remote ADDR|any] [local ADDR|any] [ttl TTL|inherit] [tos
   * TOS] [dev DEV] [[no]pmtudisc]} (iproute2's link_iptnl.c).
   */
  private Link addIpip(Args args, String name) {
    Optional<IpAddress> local = Optional.empty();
    Optional<IpAddress> remote = Optional.empty();
    int ttl = 0;
    boolean pmtudisc = true;
    while (args.has()) {
      String w = args.next();
      switch (w) {
        case "remote" -> remote = endpoint(args.value());
        case "local" -> local = endpoint(args.value());
        case "ttl", "hoplimit", "hlim" -> {
          String v = args.value();
          ttl = v.equals("inherit") ? 0 : integer(v, "TTL");
          if (ttl < 0 || ttl > 255) {
            throw new IpError(255, "Error: argument \"" + v + "\" is wrong: invalid TTL\n");
          }
        }
        case "pmtudisc" -> pmtudisc = true;
        case "nopmtudisc" -> pmtudisc = false;
        case "tos", "dsfield", "tclass", "mode" -> args.value();
        case "dev" -> ctx.device(args.value());
        default -> throw IpError.garbage("an ipip argument", w);
      }
    }
    if (ttl != 0 && !pmtudisc) {
      throw new IpError(255, "ttl != 0 and nopmtudisc are incompatible");
    }
    return ctx.ns().addIpip(name, local, remote, ttl, pmtudisc);
  }

  private static Optional<IpAddress> endpoint(String text) {
    if (text.equals("any")) {
      return Optional.empty();
    }
    IpAddress a = IpContext.address(text, "an inet address");
    if (a.family() != dev.podpath.net.IpFamily.IPV4) {
      throw IpError.garbage("an inet address", text);
    }
    return a.isUnspecified() ? Optional.empty() : Optional.of(a);
  }

  // ---- set
  // ---------------------------------------------------------------------------------------

  private void set(Args args) {
    if (!args.has()) {
      throw IpError.incomplete();
    }
    String name = args.next();
    if (name.equals("dev")) {
      name = args.value();
    }
    Optional<Boolean> up = Optional.empty();
    Optional<String> master = Optional.empty();
    boolean noMaster = false;
    Optional<NetNamespace> netns = Optional.empty();
    Optional<String> newName = Optional.empty();
    Optional<Integer> mtu = Optional.empty();
    while (args.has()) {
      String w = args.next();
      switch (w) {
        case "up" -> up = Optional.of(true);
        case "down" -> up = Optional.of(false);
        case "master" -> master = Optional.of(args.value());
        case "nomaster" -> noMaster = true;
        case "netns" -> netns = Optional.of(namespaceArg(args.value()));
        case "name" -> newName = Optional.of(args.value());
        case "mtu" -> mtu = Optional.of(integer(args.value(), "mtu"));
        case "dev" -> name = args.value();
        case "promisc",
            "arp",
            "multicast",
            "allmulticast",
            "txqueuelen",
            "qlen",
            "address",
            "alias" ->
            args.value();
        default -> throw IpError.garbage("a link attribute", w);
      }
    }
    ctx.device(name);
    if (master.isPresent() && ctx.ns().findLink(master.get()).isEmpty()) {
      throw new IpError(
          255, "Error: argument \"" + master.get() + "\" is wrong: Device does not exist\n");
    }
    NetNamespace ns = ctx.ns();
    String dev = name;
    if (netns.isPresent()) {
      ns.moveLink(dev, netns.get());
      ns = netns.get();
    }
    if (mtu.isPresent()) {
      ns.setMtu(dev, mtu.get());
    }
    if (newName.isPresent() && !newName.get().equals(dev)) {
      ns.rename(dev, newName.get());
      dev = newName.get();
    }
    if (up.isPresent()) {
      ns.setUp(dev, up.get());
    }
    if (master.isPresent()) {
      ns.setMaster(dev, master.get());
    } else if (noMaster) {
      ns.setNoMaster(dev);
    }
  }

  // ---- show, del -------------------------------------------------------------------------------

  private void show(Args args) {
    Optional<String> dev = Optional.empty();
    Optional<String> master = Optional.empty();
    Optional<String> type = Optional.empty();
    boolean onlyUp = false;
    while (args.has()) {
      String w = args.next();
      switch (w) {
        case "dev" -> dev = Optional.of(args.value());
        case "master" -> master = Optional.of(args.value());
        case "type" -> type = Optional.of(args.value());
        case "up" -> onlyUp = true;
        default -> dev = Optional.of(w);
      }
    }
    NetNamespace ns = ctx.ns();
    List<Link> links = new ArrayList<>();
    if (dev.isPresent()) {
      String d = dev.get();
      links.add(
          ns.findLink(d).orElseThrow(() -> IpError.usage("Device \"" + d + "\" does not exist.")));
    } else {
      links.addAll(ns.links());
    }
    if (master.isPresent()) {
      String m = master.get();
      Link b =
          ns.findLink(m).orElseThrow(() -> IpError.usage("Device \"" + m + "\" does not exist."));
      links.removeIf(l -> l.master().map(x -> x != b).orElse(true));
    }
    if (type.isPresent()) {
      String t = type.get();
      links.removeIf(
          l ->
              !l.kind().ipName().equals(t)
                  && !(t.equals("bridge_slave") && l.master().isPresent()));
    }
    if (onlyUp) {
      links.removeIf(l -> !l.adminUp());
    }
    for (Link l : links) {
      print(ns, l);
    }
  }

  private void print(NetNamespace ns, Link l) {
    StringBuilder out = ctx.out();
    if (ctx.options().brief()) {
      out.append(LinkFormat.briefLink(ns, l)).append('\n');
      return;
    }
    out.append(LinkFormat.header(ns, l, true)).append('\n');
    out.append(LinkFormat.linkLine(ns, l));
    if (ctx.options().details()) {
      out.append(LinkFormat.details(l));
    }
    out.append('\n');
  }

  private void delete(Args args) {
    if (!args.has()) {
      throw IpError.incomplete();
    }
    String name = args.next();
    if (name.equals("dev")) {
      name = args.value();
    }
    while (args.has()) {
      String w = args.next();
      if (!w.equals("type")) {
        throw IpError.garbage("a link argument", w);
      }
      args.value();
    }
    ctx.device(name);
    ctx.ns().deleteLink(name);
  }

  static int integer(String text, String what) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw IpError.usage(
          "Error: argument \"" + text + "\" is wrong: Invalid \"" + what + "\" value\n");
    }
  }
}
