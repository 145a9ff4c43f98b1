package dev.podpath.kernel.walk;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.kernel.link.Bridge;
import dev.podpath.kernel.link.Link;
import dev.podpath.kernel.link.MacAddress;
import dev.podpath.kernel.link.Nic;
import dev.podpath.kernel.link.Veth;
import dev.podpath.kernel.link.Vxlan;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The broadcast domain behind a device: which IP-stack devices a broadcast frame sent on it
 * reaches, across veth peers, bridges (flooding to their ports and their own stack), segments of
 * NICs, and vxlan tunnels to the VTEPs in the flood list. ARP asks these endpoints; a bridge
 * flooding an unknown destination follows the port that leads to it.
 */
final class Segments {

  private final World world;

  Segments(World world) {
    this.world = world;
  }

  /** The endpoints a broadcast sent on {@code dev} reaches, in a stable order. */
  List<Link> endpoints(Link dev) {
    var out = new ArrayList<Link>();
    var seen = new IdentityHashMap<Link, Boolean>();
    seen.put(dev, true);
    if (dev instanceof Bridge b) {
      for (var p : b.ports()) {
        wire(p, out, seen);
      }
    } else {
      wire(dev, out, seen);
    }
    return out;
  }

  /** Whether a frame sent on {@code port} can reach a device with address {@code mac}. */
  boolean reaches(Link port, MacAddress mac) {
    var seen = new IdentityHashMap<Link, Boolean>();
    seen.put(port, true);
    var out = new ArrayList<Link>();
    wire(port, out, seen);
    return out.stream().anyMatch(l -> l.mac().equals(mac));
  }

  /** The NIC on {@code from}'s segment whose address is {@code mac}. */
  Optional<Nic> station(Nic from, MacAddress mac) {
    var direct =
        world.segment(from.segment()).stream()
            .filter(n -> n != from && n.mac().equals(mac) && n.running())
            .findFirst();
    if (direct.isPresent()) {
      return direct;
    }
    // The LAN switch floods an unknown destination; a NIC enslaved to a bridge is promiscuous and
    // takes the frame when the address lives behind its bridge (a namespace bridged onto the LAN).
    return world.segment(from.segment()).stream()
        .filter(n -> n != from && n.running() && n.master().isPresent() && behind(n, mac))
        .findFirst();
  }

  private boolean behind(Nic port, MacAddress mac) {
    var seen = new IdentityHashMap<Link, Boolean>();
    var out = new ArrayList<Link>();
    arrive(port, out, seen);
    return out.stream().anyMatch(l -> l.mac().equals(mac));
  }

  /** Follows the wire of {@code dev} (it transmits) to the devices that receive. */
  private void wire(Link dev, List<Link> out, Map<Link, Boolean> seen) {
    if (!dev.running()) {
      return;
    }
    switch (dev) {
      case Veth v -> arrive(v.peer(), out, seen);
      case Nic n ->
          world.segment(n.segment()).stream()
              .filter(o -> o != n)
              .forEach(o -> arrive(o, out, seen));
      case Vxlan x -> {
        for (var remote : x.destinations(MacAddress.BROADCAST)) {
          for (var vtep : vteps(x.vni(), remote)) {
            arrive(vtep, out, seen);
          }
        }
      }
      default -> {}
    }
  }

  private void arrive(Link l, List<Link> out, Map<Link, Boolean> seen) {
    if (seen.put(l, true) != null || !l.running()) {
      return;
    }
    var master = l.master();
    if (master.isPresent()) {
      var b = master.get();
      if (seen.put(b, true) == null && b.adminUp()) {
        out.add(b);
      }
      for (var p : b.ports()) {
        if (p != l && seen.put(p, true) == null) {
          wire(p, out, seen);
        }
      }
      return;
    }
    out.add(l);
  }

  /** The vxlan devices with {@code vni} in namespaces that own {@code address}. */
  private List<Vxlan> vteps(int vni, dev.podpath.net.IpAddress address) {
    var out = new ArrayList<Vxlan>();
    for (var h : world.hosts()) {
      for (NetNamespace ns : h.namespaces()) {
        if (!ns.routing().isLocal(address)) {
          continue;
        }
        for (var l : ns.links()) {
          if (l instanceof Vxlan x && x.vni() == vni) {
            out.add(x);
          }
        }
      }
    }
    return out;
  }
}
