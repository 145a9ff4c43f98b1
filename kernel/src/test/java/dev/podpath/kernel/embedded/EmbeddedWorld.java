package dev.podpath.kernel.embedded;

import dev.podpath.kernel.Host;
import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.kernel.link.Link;
import dev.podpath.kernel.route.RouteRequest;
import dev.podpath.kernel.socket.Listener;
import dev.podpath.kernel.walk.Journey;
import dev.podpath.kernel.walk.ProbeRequest;
import dev.podpath.kernel.walk.ProbeResult;
import dev.podpath.kernel.walk.Prober;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.SampledChooser;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A test harness over the emulated kernel (Netty's {@code EmbeddedChannel} for podpath): build
 * hosts and namespaces in one line each, cable them with veths, bridges and the LAN, listen, probe,
 * inject a packet on a link, read the links, advance virtual time. Namespaces are named as the lab
 * names them ({@code host}, {@code host/ns}, or {@code ns} alone when unambiguous).
 *
 * <p>Shared with other modules as the kernel's test-jar.
 */
public final class EmbeddedWorld {

  private final World world = new World();
  private final Prober prober = new Prober(world);

  public World world() {
    return world;
  }

  public Prober prober() {
    return prober;
  }

  /** The host, created (with {@code lo} up) on first use. */
  public Host host(String name) {
    return world.findHost(name).orElseGet(() -> world.addHost(name));
  }

  /**
   * A namespace by the lab's spelling; {@code host/ns} creates it when missing, and a bare name
   * that is neither a host nor a namespace creates a host.
   */
  public NetNamespace ns(String spec) {
    int slash = spec.indexOf('/');
    if (slash >= 0) {
      var h = host(spec.substring(0, slash));
      String name = spec.substring(slash + 1);
      return h.findNamespace(name).orElseGet(() -> h.addNamespace(name));
    }
    if (world.findHost(spec).isPresent()) {
      return world.host(spec).root();
    }
    boolean named = world.hosts().stream().anyMatch(h -> h.findNamespace(spec).isPresent());
    return named ? world.namespace(spec) : host(spec).root();
  }

  /** A new named namespace with {@code lo} up. */
  public NetNamespace netns(String spec) {
    var ns = ns(spec);
    ns.setUp("lo", true);
    return ns;
  }

  /**
   * A veth pair between two namespaces, both ends up, with an address on each end when given
   * ({@code "10.0.0.1/24"}, or {@code null}).
   */
  public EmbeddedWorld veth(
      String nsA,
      String devA,
      @Nullable String addrA,
      String nsB,
      String devB,
      @Nullable String addrB) {
    var a = ns(nsA);
    var b = ns(nsB);
    a.addVeth(devA, devB, Optional.of(b));
    if (addrA != null) {
      addr(nsA, devA, addrA);
    }
    if (addrB != null) {
      addr(nsB, devB, addrB);
    }
    a.setUp(devA, true);
    b.setUp(devB, true);
    return this;
  }

  /** A bridge, up, with an address when given. */
  public EmbeddedWorld bridge(String ns, String name, @Nullable String addr) {
    ns(ns).addBridge(name);
    if (addr != null) {
      addr(ns, name, addr);
    }
    ns(ns).setUp(name, true);
    return this;
  }

  /**
   * A namespace {@code podNs} plugged into {@code bridge} of {@code hostNs} by a veth, like a CNI
   * bridge plugin.
   */
  public EmbeddedWorld pod(
      String hostNs, String bridge, String podNs, String podAddr, @Nullable String gateway) {
    netns(podNs);
    String hostEnd = "veth-" + podNs.substring(podNs.indexOf('/') + 1);
    veth(
        podNs,
        "eth0",
        podAddr,
        hostNs,
        hostEnd.length() > 15 ? hostEnd.substring(0, 15) : hostEnd,
        null);
    ns(hostNs).setMaster(hostEnd.length() > 15 ? hostEnd.substring(0, 15) : hostEnd, bridge);
    if (gateway != null) {
      route(podNs, "default via " + gateway);
    }
    return this;
  }

  /** A host on the LAN with NICs ({@code "eth0=192.168.0.1/24"}) and an optional gateway. */
  public Host lanHost(String name, String... nics) {
    var specs = java.util.Arrays.stream(nics).map(World.NicSpec::parse).toList();
    return world.addHost(name, specs, Optional.empty());
  }

  public EmbeddedWorld addr(String ns, String dev, String prefix) {
    ns(ns)
        .routing()
        .addAddress(
            dev, IpPrefix.parse(prefix), Optional.empty(), Optional.empty(), Optional.empty());
    return this;
  }

  public EmbeddedWorld up(String ns, String dev, boolean up) {
    ns(ns).setUp(dev, up);
    return this;
  }

  /**
   * {@code ip route add} in a subset of its syntax: {@code DEST [via GW] [dev D] [src S] [metric M]
   * [table T]}.
   */
  public EmbeddedWorld route(String ns, String spec) {
    var words = spec.trim().split("\\s+");
    var req = RouteRequest.to(words[0]);
    for (int i = 1; i + 1 < words.length; i += 2) {
      String v = words[i + 1];
      req =
          switch (words[i]) {
            case "via" -> req.via(IpAddress.parse(v));
            case "dev" -> req.dev(v);
            case "src" -> req.src(IpAddress.parse(v));
            case "metric" -> req.metric(Integer.parseInt(v));
            case "table" -> req.table(Integer.parseInt(v));
            default -> throw new IllegalArgumentException("route: unknown word " + words[i]);
          };
    }
    ns(ns).routing().addRoute(req);
    return this;
  }

  public EmbeddedWorld sysctl(String ns, String key, String value) {
    ns(ns).sysctls().set(key, value);
    return this;
  }

  /**
   * A process listening on {@code proto} port {@code port} on every IPv4 and IPv6 address of the
   * namespace.
   */
  public EmbeddedWorld listen(String ns, String proto, int port) {
    var p = Protocol.find(proto).orElseThrow();
    var any = IpAddress.parse("0.0.0.0");
    if (!ns(ns).sockets().bind(new Listener(p, any, port, "serve"))) {
      throw new IllegalStateException("listen: " + proto + " port " + port + " is taken in " + ns);
    }
    ns(ns).sockets().bind(new Listener(p, IpAddress.parse("::"), port, "serve"));
    return this;
  }

  /** One TCP connection attempt to {@code "ADDR:PORT"}. */
  public ProbeResult tcp(String from, String to) {
    return prober.probe(request(Protocol.TCP, from, to));
  }

  public ProbeResult udp(String from, String to) {
    return prober.probe(request(Protocol.UDP, from, to));
  }

  public ProbeResult ping(String from, String to) {
    return prober.probe(ProbeRequest.icmp(ns(from), IpAddress.parse(to)));
  }

  /** The request the lab's {@code probe PROTO from NS to ADDR:PORT} makes, to refine. */
  public ProbeRequest request(Protocol proto, String from, String to) {
    int colon = to.lastIndexOf(':');
    var addr = IpAddress.parse(to.substring(0, colon));
    int port = Integer.parseInt(to.substring(colon + 1));
    return proto == Protocol.TCP
        ? ProbeRequest.tcp(ns(from), addr, port)
        : ProbeRequest.udp(ns(from), addr, port);
  }

  /** A packet arriving on a device, as if from its wire. */
  public Journey inject(String ns, String dev, Packet p) {
    return prober.walker().receive(link(ns, dev), p, new SampledChooser(1));
  }

  /** A packet a process in {@code ns} sends. */
  public Journey send(String ns, Packet p) {
    return prober.walker().send(ns(ns), p, new SampledChooser(1));
  }

  public Link link(String ns, String dev) {
    return ns(ns).link(dev);
  }

  public EmbeddedWorld advance(Duration d) {
    world.clock().advance(d);
    return this;
  }
}
