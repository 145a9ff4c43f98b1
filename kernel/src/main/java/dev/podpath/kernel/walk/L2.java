package dev.podpath.kernel.walk;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.kernel.link.Bridge;
import dev.podpath.kernel.link.Dummy;
import dev.podpath.kernel.link.Ipip;
import dev.podpath.kernel.link.Link;
import dev.podpath.kernel.link.Loopback;
import dev.podpath.kernel.link.MacAddress;
import dev.podpath.kernel.link.Nic;
import dev.podpath.kernel.link.Veth;
import dev.podpath.kernel.link.Vxlan;
import dev.podpath.kernel.path.Hook;
import dev.podpath.kernel.path.MacHeader;
import dev.podpath.kernel.path.PacketContext;
import dev.podpath.kernel.path.Verdict;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Packet;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The link layer of the walk: neighbour resolution, transmission on veth, NIC, bridge and vxlan
 * devices, and the bridge's forwarding path with br_netfilter.
 */
final class L2 {

  private final World world;
  private final Walker walker;
  private final Segments segments;

  L2(World world, Walker walker) {
    this.world = world;
    this.walker = walker;
    this.segments = new Segments(world);
  }

  private static NetNamespace ns(Link l) {
    return (NetNamespace) l.namespace();
  }

  /** The IP layer hands a packet to {@code dev} for {@code nextHop}. */
  void transmit(Walk w, NetNamespace ns, Link dev, Packet p, IpAddress nextHop) {
    if (dev instanceof Loopback lo) {
      if (!lo.adminUp()) {
        w.end(Fate.DROPPED, "lo is down");
        return;
      }
      w.step(new Step.Transmit("lo", p.toString()));
      walker.ipInput(w, ns, lo, p, MacHeader.LOOPBACK, null);
      return;
    }
    if (dev instanceof Dummy) {
      w.step(new Step.Transmit(dev.name(), p.toString()));
      w.end(Fate.DROPPED, "a dummy device discards what it transmits");
      return;
    }
    if (!dev.running()) {
      w.end(Fate.DROPPED, dev.name() + (dev.adminUp() ? " has no carrier" : " is down"));
      return;
    }
    if (dev instanceof Ipip t) {
      w.step(new Step.Transmit(t.name(), p.toString()));
      walker.encapsulate(
          w, ns, p, t.remote().orElse(nextHop), t.local(), t.ttl(), "ipip " + t.name());
      return;
    }
    var mac = resolve(ns, dev, nextHop);
    w.step(new Step.Neighbour(nextHop.toString(), dev.name(), mac.isPresent()));
    if (mac.isEmpty()) {
      w.end(
          Fate.DROPPED,
          "no neighbour answers for " + nextHop + " on " + dev.name() + " (ARP/NDP failed)");
      return;
    }
    sendFrame(w, dev, new Frame(dev.mac(), mac.get(), p));
  }

  /**
   * The MAC address for {@code address} on {@code dev}: a configured entry, else ARP over the
   * segment.
   */
  Optional<MacAddress> resolve(NetNamespace ns, Link dev, IpAddress address) {
    var fixed = ns.neighbours().find(address, dev.name());
    if (fixed.isPresent()) {
      return fixed;
    }
    for (var e : segments.endpoints(dev)) {
      var other = ns(e);
      boolean owns = other.routing().isLocal(address) && !address.isLoopback();
      if (owns && other.sysctls().confMax(e.name(), "arp_ignore") >= 1) {
        owns =
            other.routing().addresses(e.name()).stream().anyMatch(a -> a.address().equals(address));
      }
      if (owns && e.adminUp()) {
        ns.neighbours().learn(address, dev.name(), e.mac());
        return Optional.of(e.mac());
      }
    }
    ns.neighbours().fail(address, dev.name());
    return Optional.empty();
  }

  /** A packet an IP-in-IP tunnel took off its outer header is received on the tunnel device. */
  void receiveTunnelled(Walk w, Ipip tunnel, Packet inner) {
    w.step(new Step.Receive(tunnel.name(), inner.toString()));
    walker.ipInput(w, ns(tunnel), tunnel, inner, MacHeader.NONE, null);
  }

  /** A device puts a frame on its wire. */
  void sendFrame(Walk w, Link dev, Frame f) {
    if (!w.enter(ns(dev))) {
      w.end(Fate.DROPPED, "loop: too many hops");
      return;
    }
    w.step(new Step.Transmit(dev.name(), f.packet().toString()));
    if (!dev.running()) {
      w.end(Fate.DROPPED, dev.name() + (dev.adminUp() ? " has no carrier" : " is down"));
      return;
    }
    switch (dev) {
      case Veth v -> receiveFrame(w, v.peer(), f);
      case Nic n -> {
        var to = segments.station(n, f.dst());
        if (to.isEmpty()) {
          w.end(Fate.DROPPED, "no station with " + f.dst() + " on segment " + n.segment());
          return;
        }
        receiveFrame(w, to.get(), f);
      }
      case Bridge b -> bridgeForward(w, b, null, f, null);
      case Vxlan x -> encapsulate(w, x, f);
      case Dummy d -> w.end(Fate.DROPPED, "a dummy device discards what it transmits");
      case Loopback lo -> walker.ipInput(w, ns(lo), lo, f.packet(), MacHeader.LOOPBACK, null);
      case Ipip t -> w.end(Fate.DROPPED, "ipip " + t.name() + " carries packets, not frames");
    }
  }

  /** A frame arrives on {@code link}. */
  void receiveFrame(Walk w, Link link, Frame f) {
    if (!w.enter(ns(link))) {
      w.end(Fate.DROPPED, "loop: too many hops");
      return;
    }
    w.step(new Step.Receive(link.name(), f.packet().toString()));
    if (!link.running()) {
      w.end(Fate.DROPPED, link.name() + " is down");
      return;
    }
    if (link.master().isPresent()) {
      bridgeInput(w, link.master().get(), link, f);
      return;
    }
    if (!f.dst().equals(link.mac()) && !f.dst().isBroadcast()) {
      w.end(
          Fate.DROPPED, "frame for " + f.dst() + ", not " + link.name() + " (" + link.mac() + ")");
      return;
    }
    walker.ipInput(w, ns(link), link, f.packet(), header(f), null);
  }

  private static MacHeader header(Frame f) {
    return new MacHeader(f.dst().toString(), f.src().toString());
  }

  private boolean callIptables(NetNamespace ns) {
    return ns.sysctls().intOf("net.bridge.bridge-nf-call-iptables") != 0;
  }

  /** A frame enters bridge {@code br} by {@code port}: learning, then up the stack or forward. */
  private void bridgeInput(Walk w, Bridge br, Link port, Frame f) {
    var ns = ns(br);
    br.learn(f.src(), port, ns.clock().nanos());
    if (!br.adminUp()) {
      w.end(Fate.DROPPED, "bridge " + br.name() + " is down");
      return;
    }
    boolean local =
        f.dst().equals(br.mac()) || br.ports().stream().anyMatch(p -> p.mac().equals(f.dst()));
    if (!callIptables(ns)) {
      if (local) {
        w.step(
            new Step.Bridge(
                br.name(), port.name(), br.name(), "to the bridge's own address: up the stack"));
        walker.ipInput(w, ns, br, f.packet(), header(f), null);
      } else {
        bridgeForward(w, br, port, f, null);
      }
      return;
    }
    // br_netfilter: iptables sees the bridged frame at PREROUTING with physdev set
    var ctx = w.context(ns, f.packet());
    ctx.setInInterface(br.name());
    ctx.setMacHeader(header(f));
    ctx.setPhysIn(port.name());
    ctx.setBridged(true);
    w.step(
        new Step.Note(
            "br_netfilter: bridged frame enters iptables (net.bridge.bridge-nf-call-iptables=1)"));
    if (!runBridged(w, ns, ctx, Hook.PREROUTING)) {
      return;
    }
    var p = ctx.packet();
    if (local) {
      if (!p.dst().equals(f.packet().dst())) {
        var d = ns.routing().lookup(p.dst());
        if (d.isPresent() && d.get().device().equals(br.name())) {
          // br_nf_pre_routing_finish_bridge: DNAT to a neighbour on the same bridge stays bridged
          var mac = resolve(ns, br, d.get().nextHop());
          w.step(new Step.Neighbour(d.get().nextHop().toString(), br.name(), mac.isPresent()));
          if (mac.isEmpty()) {
            w.end(
                Fate.DROPPED, "no neighbour answers for " + d.get().nextHop() + " on " + br.name());
            return;
          }
          w.step(
              new Step.Note(
                  "br_netfilter: destination NATed to a host on "
                      + br.name()
                      + ": bridged, not routed"));
          bridgeForward(w, br, port, new Frame(f.src(), mac.get(), p), ctx);
          return;
        }
      }
      w.step(
          new Step.Bridge(
              br.name(), port.name(), br.name(), "to the bridge's own address: up the stack"));
      walker.ipInput(w, ns, br, p, header(f), ctx);
      return;
    }
    bridgeForward(w, br, port, f.withPacket(p), ctx);
  }

  /**
   * Forwards a frame across {@code br}: the FDB's port for the destination, else flooding (the copy
   * that reaches the destination's owner is followed). {@code in} is null when the bridge's own IP
   * stack sends. A frame may leave by its input port only in hairpin mode. With {@code ctx}
   * (br_netfilter), FORWARD and POSTROUTING run with {@code --physdev-out} set.
   */
  private void bridgeForward(
      Walk w, Bridge br, @Nullable Link in, Frame f, @Nullable PacketContext ctx) {
    var ns = ns(br);
    var known = br.lookup(f.dst(), ns.clock().nanos());
    Link out = known.orElse(null);
    String reason = "fdb";
    if (out == null) {
      reason = "flood (destination not in the fdb)";
      for (var p : br.ports()) {
        if ((p != in || p.hairpin()) && p.running() && segments.reaches(p, f.dst())) {
          out = p;
          break;
        }
      }
    }
    String inName = in == null ? br.name() : in.name();
    if (out == null) {
      w.step(new Step.Bridge(br.name(), inName, "", reason));
      w.end(Fate.DROPPED, "no port of " + br.name() + " leads to " + f.dst());
      return;
    }
    if (out == in && !in.hairpin()) {
      w.step(new Step.Bridge(br.name(), inName, out.name(), reason));
      w.end(
          Fate.DROPPED,
          "bridge "
              + br.name()
              + " does not send a frame back out of "
              + in.name()
              + " (hairpin off)");
      return;
    }
    w.step(new Step.Bridge(br.name(), inName, out.name(), reason + (out == in ? ", hairpin" : "")));
    var frame = f;
    if (ctx != null && in != null) {
      ctx.setOutInterface(br.name());
      ctx.setPhysOut(out.name());
      if (!runBridged(w, ns, ctx, Hook.FORWARD) || !runBridged(w, ns, ctx, Hook.POSTROUTING)) {
        return;
      }
      frame = f.withPacket(ctx.packet());
    }
    sendFrame(w, out, frame);
  }

  private boolean runBridged(Walk w, NetNamespace ns, PacketContext ctx, Hook hook) {
    Verdict v = ns.hooks().run(hook, ctx);
    return switch (v) {
      case Verdict.Accept a -> true;
      case Verdict.Drop d -> {
        w.end(Fate.DROPPED, d.reason());
        yield false;
      }
      case Verdict.Reject r -> {
        w.end(Fate.REJECTED, "rejected with " + r.kind());
        w.respond(Answers.reject(ns, ctx.packet(), r.kind()), ns);
        yield false;
      }
      case Verdict.Stolen s -> {
        w.end(Fate.DROPPED, "taken by " + s.by() + " on a bridged frame");
        yield false;
      }
    };
  }

  /** VXLAN: wrap the frame in UDP to the VTEP the FDB names, and send that from this namespace. */
  private void encapsulate(Walk w, Vxlan x, Frame f) {
    var ns = ns(x);
    var remotes = x.destinations(f.dst());
    if (remotes.isEmpty()) {
      w.end(Fate.DROPPED, "vxlan " + x.name() + ": no fdb entry for " + f.dst() + " and no remote");
      return;
    }
    var remote = remotes.get(0);
    var local = x.local().or(() -> ns.routing().lookup(remote).flatMap(d -> d.source()));
    if (local.isEmpty()) {
      w.end(Fate.DROPPED, "vxlan " + x.name() + ": no source address towards " + remote);
      return;
    }
    int sport = 32768 + Math.floorMod(f.packet().hashCode(), 28232);
    var outer = Packet.udp(local.get(), sport, remote, x.dstPort());
    w.step(new Step.Note("vxlan: encapsulated VNI " + x.vni() + " in " + outer));
    w.tunnel.push(new Walk.Encapsulated(x.vni(), f));
    walker.output(w, ns, outer);
  }
}
