package dev.podpath.kernel;

import dev.podpath.kernel.link.Link;
import dev.podpath.kernel.link.MacAddress;
import dev.podpath.kernel.link.Nic;
import dev.podpath.kernel.route.RouteRequest;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the emulation holds: hosts, the L2 segments their NICs are cabled to, and the virtual
 * clock. Names are the way in: {@code world.host("node1").namespace("pod-a")}.
 */
public final class World {

  /** The segment {@link #addHost(String, List, Optional)} cables NICs to: the lab's LAN. */
  public static final String LAN = "lan";

  private final VirtualClock clock;
  private final TreeMap<String, Host> hosts = new TreeMap<>();
  private long macSequence;

  public World() {
    this(new VirtualClock());
  }

  public World(VirtualClock clock) {
    this.clock = clock;
  }

  public VirtualClock clock() {
    return clock;
  }

  /** A new host with a root namespace holding {@code lo} (up); EEXIST if the name is taken. */
  public Host addHost(String name) {
    if (hosts.containsKey(name)) {
      throw KernelException.tool(Errno.EEXIST, "host " + name + " already exists");
    }
    var h = new Host(this, name);
    hosts.put(name, h);
    return h;
  }

  /**
   * The lab's {@code host NAME [IFACE=ADDR/LEN]... [gw ADDR]}: a host whose listed NICs are on the
   * LAN, up, with their addresses, and a default route when {@code gateway} is given.
   */
  public Host addHost(String name, List<NicSpec> nics, Optional<IpAddress> gateway) {
    var h = addHost(name);
    for (var n : nics) {
      h.addNic(n.name(), LAN);
      h.root().setUp(n.name(), true);
      h.root()
          .routing()
          .addAddress(n.name(), n.address(), Optional.empty(), Optional.empty(), Optional.empty());
    }
    gateway.ifPresent(gw -> h.root().routing().addRoute(RouteRequest.to("default").via(gw)));
    return h;
  }

  /** A NIC of {@link #addHost(String, List, Optional)}: {@code eth0=192.168.0.1/24}. */
  public record NicSpec(String name, IpPrefix address) {
    public static NicSpec parse(String text) {
      int eq = text.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("nic: expected IFACE=ADDR/LEN, got " + text);
      }
      return new NicSpec(text.substring(0, eq), IpPrefix.parse(text.substring(eq + 1)));
    }
  }

  public Optional<Host> findHost(String name) {
    return Optional.ofNullable(hosts.get(name));
  }

  public Host host(String name) {
    return findHost(name).orElseThrow(() -> KernelException.tool(Errno.ENOENT, "no host " + name));
  }

  /** The hosts, sorted by name. */
  public List<Host> hosts() {
    return List.copyOf(hosts.values());
  }

  /**
   * A namespace by the lab's spelling: {@code HOST} (its root), {@code HOST/NS}, or {@code NS} when
   * exactly one host has a namespace of that name.
   */
  public NetNamespace namespace(String spec) {
    int slash = spec.indexOf('/');
    if (slash >= 0) {
      return host(spec.substring(0, slash)).namespace(spec.substring(slash + 1));
    }
    if (hosts.containsKey(spec)) {
      return hosts.get(spec).root();
    }
    var found = new ArrayList<NetNamespace>();
    for (var h : hosts.values()) {
      h.findNamespace(spec).ifPresent(found::add);
    }
    if (found.size() != 1) {
      throw KernelException.tool(
          Errno.ENOENT,
          found.isEmpty()
              ? "no namespace " + spec
              : "namespace " + spec + " is ambiguous: name it HOST/" + spec);
    }
    return found.get(0);
  }

  /** Every NIC cabled to {@code segment}, in host order. */
  public List<Nic> segment(String segment) {
    var out = new ArrayList<Nic>();
    for (var h : hosts.values()) {
      for (var ns : h.namespaces()) {
        for (Link l : ns.links()) {
          if (l instanceof Nic n && n.segment().equals(segment)) {
            out.add(n);
          }
        }
      }
    }
    return out;
  }

  /**
   * Captures every piece of state a packet walk changes, in every namespace (netfilter and
   * conntrack when they support it, IPVS, learned bridge FDB entries); running the result puts it
   * all back. Explorations use it between branches.
   */
  public Runnable snapshot() {
    var restores = new ArrayList<Runnable>();
    for (var h : hosts.values()) {
      for (var ns : h.namespaces()) {
        restores.add(ns.netfilter().snapshot());
        restores.add(ns.ipvs().snapshot());
        restores.add(ns.neighbours().snapshot());
        for (Link l : ns.links()) {
          if (l instanceof dev.podpath.kernel.link.Bridge b) {
            var fdb = b.saveFdb();
            restores.add(() -> b.restoreFdb(fdb));
          }
        }
      }
    }
    return () -> restores.forEach(Runnable::run);
  }

  /** A fresh deterministic MAC address. */
  MacAddress newMac(String where) {
    return MacAddress.derived(where.hashCode() * 31L + macSequence++);
  }
}
