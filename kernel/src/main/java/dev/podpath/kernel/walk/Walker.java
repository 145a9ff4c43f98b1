package dev.podpath.kernel.walk;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.kernel.link.Link;
import dev.podpath.kernel.link.Loopback;
import dev.podpath.kernel.path.AddressType;
import dev.podpath.kernel.path.Hook;
import dev.podpath.kernel.path.MacHeader;
import dev.podpath.kernel.path.PacketContext;
import dev.podpath.kernel.path.Verdict;
import dev.podpath.kernel.route.RouteDecision;
import dev.podpath.net.Chooser;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Packet;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The IPv4/IPv6 packet walk of the kernel, through every namespace the packet reaches:
 *
 * <pre>
 *  socket ─▶ route ─▶ OUTPUT ─▶ (re-route if the destination changed) ─▶ POSTROUTING ─▶ link
 *
 *  link ─▶ [bridge port? ─▶ bridge: FDB / flood / hairpin; with bridge-nf-call-iptables=1
 *           PREROUTING, FORWARD, POSTROUTING on bridged frames with physdev set]
 *       ─▶ PREROUTING ─▶ martians (127/8 needs route_localnet) ─▶ route
 *            ├─ local ─▶ INPUT (IPVS at 98 may take it) ─▶ socket, or RST / ICMP port unreachable
 *            └─ other ─▶ forwarding on the input device? rp_filter? ─▶ FORWARD ─▶ POSTROUTING ─▶ link
 *  link out ─▶ neighbour (ARP/NDP; no answer drops) ─▶ veth peer / bridge / segment / vxlan
 * </pre>
 *
 * The hooks are the namespace's {@link dev.podpath.kernel.path.HookTable}: netfilter, conntrack and
 * IPVS registered there; the walker only runs them in order and obeys their verdicts. The link
 * layer is {@link L2}.
 */
public final class Walker {

  private final World world;
  private final L2 l2;

  public Walker(World world) {
    this.world = world;
    this.l2 = new L2(world, this);
  }

  public World world() {
    return world;
  }

  /** Walks a packet a local process in {@code ns} sends. */
  public Journey send(NetNamespace ns, Packet packet, Chooser chooser) {
    return send(ns, packet, chooser, Optional.empty());
  }

  Journey send(NetNamespace ns, Packet packet, Chooser chooser, Optional<Expectation> expectation) {
    var w = new Walk(chooser, expectation);
    output(w, ns, packet);
    return w.finish();
  }

  /** Walks a frame arriving on {@code link} from outside (a harness injecting traffic). */
  public Journey receive(Link link, Packet packet, Chooser chooser) {
    var w = new Walk(chooser, Optional.empty());
    l2.receiveFrame(
        w, link, new Frame(dev.podpath.kernel.link.MacAddress.derived(-1), link.mac(), packet));
    return w.finish();
  }

  // ---------------------------------------------------------------- local output

  void output(Walk w, NetNamespace ns, Packet p) {
    var ctx = w.context(ns, p);
    ctx.setLocallyGenerated(true);
    var d = route(w, ns, p.dst());
    if (d == null) {
      return;
    }
    ctx.setOutInterface(d.device());
    if (!run(w, ns, ctx, Hook.OUTPUT)) {
      return;
    }
    if (!ctx.packet().dst().equals(p.dst())) {
      w.step(new Step.Note("destination changed by OUTPUT: routing again"));
      d = route(w, ns, ctx.packet().dst());
      if (d == null) {
        return;
      }
      ctx.setOutInterface(d.device());
    }
    postrouting(w, ns, ctx, d);
  }

  /** A routing look-up recorded as a step; null (and the walk ended) when there is no route. */
  private @Nullable RouteDecision route(Walk w, NetNamespace ns, IpAddress dst) {
    var d = ns.routing().lookup(dst);
    if (d.isEmpty()) {
      w.step(new Step.NoRoute(dst.toString()));
      w.end(Fate.UNREACHABLE, "no route to " + dst + " (Network is unreachable)");
      return null;
    }
    var r = d.get();
    w.step(
        new Step.Route(
            dev.podpath.kernel.route.Route.tableName(r.route().table()),
            r.route().toString(),
            r.device(),
            r.gateway().map(Object::toString),
            r.source().map(Object::toString)));
    switch (r.type()) {
      case UNREACHABLE, THROW -> {
        w.end(Fate.UNREACHABLE, "unreachable route to " + dst);
        return null;
      }
      case PROHIBIT -> {
        w.end(Fate.UNREACHABLE, "prohibit route to " + dst);
        return null;
      }
      case BLACKHOLE -> {
        w.end(Fate.DROPPED, "blackhole route to " + dst);
        return null;
      }
      default -> {
        return r;
      }
    }
  }

  // ---------------------------------------------------------------- input

  /**
   * A packet arriving on {@code in}; {@code afterPrerouting} when the bridge already ran PREROUTING
   * on it (br_netfilter) and hands it up.
   */
  void ipInput(
      Walk w,
      NetNamespace ns,
      Link in,
      Packet p,
      MacHeader mac,
      @Nullable PacketContext afterPrerouting) {
    PacketContext ctx = afterPrerouting;
    if (ctx == null) {
      ctx = w.context(ns, p);
      ctx.setInInterface(in.name());
      ctx.setMacHeader(mac);
      if (!run(w, ns, ctx, Hook.PREROUTING)) {
        return;
      }
    }
    ctx.setBridged(false); // a bridged-then-routed packet keeps its physdev-in, as nf_bridge does
    ctx.setPhysOut(null);
    var pkt = ctx.packet();
    boolean fromLoopback = in instanceof Loopback;
    if (!fromLoopback && !ns.sysctls().confOr(in.name(), "route_localnet")) {
      if (pkt.dst().isLoopback() && pkt.dst().family() == dev.podpath.net.IpFamily.IPV4) {
        w.end(
            Fate.DROPPED,
            "martian destination "
                + pkt.dst()
                + " on "
                + in.name()
                + " (net.ipv4.conf."
                + in.name()
                + ".route_localnet=0)");
        return;
      }
      if (pkt.src().isLoopback()) {
        w.end(Fate.DROPPED, "martian source " + pkt.src() + " on " + in.name());
        return;
      }
    }
    if (!fromLoopback
        && ns.routing().isLocal(pkt.src())
        && !ns.sysctls().confOr(in.name(), "accept_local")) {
      w.end(
          Fate.DROPPED,
          "martian source " + pkt.src() + " (an address of this namespace) on " + in.name());
      return;
    }
    var found = ns.routing().lookup(pkt.dst());
    if (found.isPresent()
        && (found.get().type() == AddressType.LOCAL
            || found.get().type() == AddressType.BROADCAST)) {
      var d = found.get();
      w.step(
          new Step.Route(
              "local",
              d.route().toString(),
              d.device(),
              Optional.empty(),
              d.source().map(Object::toString)));
      localIn(w, ns, ctx);
      return;
    }
    if (!forwarding(ns, in, pkt)) {
      droppedNotForwarding(w, in, pkt);
      return;
    }
    var d = route(w, ns, pkt.dst());
    if (d == null) {
      icmpError(w, ns, ctx.packet(), 3, 0);
      return;
    }
    if (!reversePathOk(w, ns, in, pkt)) {
      return;
    }
    forward(w, ns, ctx, d);
  }

  private static boolean forwarding(NetNamespace ns, Link in, Packet p) {
    if (p.family() == dev.podpath.net.IpFamily.IPV6) {
      return ns.sysctls()
              .find(
                  "net.ipv6.conf."
                      + dev.podpath.kernel.Sysctls.deviceKey(in.name())
                      + ".forwarding")
              .map(v -> !v.equals("0"))
              .orElse(false)
          || !ns.sysctls().get("net.ipv6.conf.all.forwarding").equals("0");
    }
    return ns.sysctls().conf(in.name(), "forwarding") != 0;
  }

  private static void droppedNotForwarding(Walk w, Link in, Packet p) {
    String fam = p.family() == dev.podpath.net.IpFamily.IPV6 ? "net.ipv6.conf." : "net.ipv4.conf.";
    w.end(
        Fate.DROPPED,
        "not for this namespace and forwarding is off ("
            + fam
            + dev.podpath.kernel.Sysctls.deviceKey(in.name())
            + ".forwarding=0"
            + (p.family() == dev.podpath.net.IpFamily.IPV4 ? ", ip_forward=0)" : ")"));
  }

  /** {@code rp_filter}: 1 strict (the route back must leave by the input device), 2 loose. */
  private boolean reversePathOk(Walk w, NetNamespace ns, Link in, Packet p) {
    int mode = ns.sysctls().confMax(in.name(), "rp_filter");
    if (mode == 0) {
      return true;
    }
    var back = ns.routing().lookup(p.src());
    boolean ok = back.isPresent() && (mode == 2 || back.get().device().equals(in.name()));
    if (!ok) {
      w.end(
          Fate.DROPPED,
          "reverse path filter (rp_filter="
              + mode
              + "): the route back to "
              + p.src()
              + " does not leave by "
              + in.name());
    }
    return ok;
  }

  private void forward(Walk w, NetNamespace ns, PacketContext ctx, RouteDecision d) {
    var p = ctx.packet();
    if (p.ttl() <= 1) {
      icmpError(w, ns, p, 11, 0);
      w.end(Fate.DROPPED, "TTL exceeded");
      return;
    }
    ctx.setPacket(p.withTtl(p.ttl() - 1));
    ctx.setOutInterface(d.device());
    if (!run(w, ns, ctx, Hook.FORWARD)) {
      return;
    }
    postrouting(w, ns, ctx, d);
  }

  private void postrouting(Walk w, NetNamespace ns, PacketContext ctx, RouteDecision d) {
    if (!run(w, ns, ctx, Hook.POSTROUTING)) {
      return;
    }
    var out = ns.findLink(d.device());
    if (out.isEmpty()) {
      w.end(Fate.DROPPED, "output device " + d.device() + " is gone");
      return;
    }
    var nextHop = d.type() == AddressType.LOCAL ? ctx.packet().dst() : d.nextHop();
    l2.transmit(w, ns, out.get(), ctx.packet(), nextHop);
  }

  private void localIn(Walk w, NetNamespace ns, PacketContext ctx) {
    if (!run(w, ns, ctx, Hook.INPUT)) {
      return;
    }
    LocalDelivery.deliver(w, ns, ctx.packet(), l2);
  }

  // ---------------------------------------------------------------- hooks and verdicts

  /** Runs a hook; false when the packet does not go on (dropped, rejected, or taken by IPVS). */
  private boolean run(Walk w, NetNamespace ns, PacketContext ctx, Hook hook) {
    Verdict v = ns.hooks().run(hook, ctx);
    return switch (v) {
      case Verdict.Accept a -> true;
      case Verdict.Drop d -> {
        w.end(Fate.DROPPED, d.reason());
        yield false;
      }
      case Verdict.Reject r -> {
        reject(w, ns, ctx.packet(), r.kind());
        yield false;
      }
      case Verdict.Stolen s -> {
        stolen(w, ns, ctx, hook, s.by());
        yield false;
      }
    };
  }

  /**
   * IPVS took the packet: it rewrote it (NAT), chose a next hop (direct routing) or a real server
   * to tunnel it to, and sends it on itself.
   */
  private void stolen(Walk w, NetNamespace ns, PacketContext ctx, Hook hook, String by) {
    w.step(new Step.Note("taken by " + by + " at " + hook));
    var p = ctx.packet();
    if (ctx.tunnelTo().isPresent()) {
      encapsulate(w, ns, p, ctx.tunnelTo().get(), Optional.empty(), 0, "ipvs tunnel");
      return;
    }
    var d = route(w, ns, ctx.nextHop().orElse(p.dst()));
    if (d == null) {
      return;
    }
    if (d.type() == AddressType.LOCAL) {
      LocalDelivery.deliver(w, ns, p, l2);
      return;
    }
    ctx.setOutInterface(d.device());
    if (hook == Hook.INPUT && !run(w, ns, ctx, Hook.OUTPUT)) {
      return;
    }
    postrouting(w, ns, ctx, d);
  }

  /**
   * IP-in-IP ({@code ip_tunnel_xmit}, {@code ip_vs_tunnel_xmit}): {@code inner} wrapped in an IPv4
   * header of protocol 4 to {@code remote}, from {@code local} or the source routing picks towards
   * {@code remote}, with TTL {@code ttl} or, when 0, the inner packet's, sent from this namespace
   * as a local packet (through OUTPUT and POSTROUTING).
   */
  void encapsulate(
      Walk w,
      NetNamespace ns,
      Packet inner,
      IpAddress remote,
      Optional<IpAddress> local,
      int ttl,
      String by) {
    if (inner.family() != dev.podpath.net.IpFamily.IPV4
        || remote.family() != dev.podpath.net.IpFamily.IPV4) {
      w.end(Fate.DROPPED, by + ": only IPv4 in IPv4 is modelled");
      return;
    }
    var src = local.or(() -> ns.routing().lookup(remote).flatMap(RouteDecision::source));
    if (src.isEmpty()) {
      w.end(Fate.UNREACHABLE, by + ": no route to " + remote);
      return;
    }
    var outer =
        Packet.builder()
            .src(src.get())
            .dst(remote)
            .protocol(dev.podpath.net.Protocol.IPENCAP)
            .ttl(ttl == 0 ? inner.ttl() : ttl)
            .length(inner.length() + 20)
            .inner(inner)
            .build();
    w.step(new Step.Note(by + ": encapsulated in " + outer));
    output(w, ns, outer);
  }

  /** A REJECT rule: the error goes back to the sender from here. */
  private void reject(Walk w, NetNamespace ns, Packet p, String kind) {
    Packet answer = Answers.reject(ns, p, kind);
    w.end(Fate.REJECTED, "rejected with " + kind);
    w.respond(answer, ns);
  }

  /** An ICMP error about {@code p}, sent from this namespace; records it as the walk's answer. */
  private void icmpError(Walk w, NetNamespace ns, Packet p, int type, int code) {
    Answers.icmpError(ns, p, type, code).ifPresent(e -> w.respond(e, ns));
  }
}
