package dev.podpath.shell.lab;

import dev.podpath.kernel.Host;
import dev.podpath.kernel.KernelException;
import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.kernel.socket.Listener;
import dev.podpath.kernel.walk.Delivery;
import dev.podpath.kernel.walk.ProbeRequest;
import dev.podpath.kernel.walk.ProbeResult;
import dev.podpath.kernel.walk.Prober;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Ipv6Address;
import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import dev.podpath.net.trace.Trace;
import dev.podpath.shell.ToolResult;
import dev.podpath.shell.sysctl.ProcSys;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lab's world over the emulated kernel: hosts of a {@link World} on its LAN, the real tools
 * ({@link Tools}) run in their namespaces, servers as listening sockets and probes through the
 * kernel's {@link Prober}. Sampled probes are seeded with their line number, so a lab gives the
 * same result every run, and adding a probe does not change the others.
 */
public final class KernelLabWorld implements LabWorld {

  private final World world;
  private final Prober prober;
  private final Tools tools;

  public KernelLabWorld() {
    this(new World());
  }

  public KernelLabWorld(World world) {
    this.world = world;
    this.prober = new Prober(world);
    this.tools = Tools.standard();
  }

  public World world() {
    return world;
  }

  NetNamespace namespace(Place p) {
    Host h = world.host(p.host());
    return p.namespace().map(h::namespace).orElse(h.root());
  }

  @Override
  public boolean hasHost(String name) {
    return world.findHost(name).isPresent();
  }

  @Override
  public List<String> hostNames() {
    return world.hosts().stream().map(Host::name).toList();
  }

  @Override
  public void createHost(String name) {
    try {
      world.addHost(name);
    } catch (KernelException e) {
      throw new SetupException(e.getMessage());
    }
  }

  @Override
  public void addNic(String host, String iface, IpAddress address, int prefixLength) {
    try {
      Host h = world.host(host);
      h.addNic(iface, World.LAN);
      h.root().setUp(iface, true);
      h.root()
          .routing()
          .addAddress(
              iface,
              new IpPrefix(address, prefixLength),
              Optional.empty(),
              Optional.empty(),
              Optional.empty());
    } catch (KernelException | IllegalArgumentException e) {
      throw new SetupException(
          "NIC " + iface + "=" + address + "/" + prefixLength + ": " + e.getMessage());
    }
  }

  @Override
  public void addDefaultRoute(String host, IpAddress gateway) {
    try {
      world
          .host(host)
          .root()
          .routing()
          .addRoute(
              dev.podpath.kernel.route.RouteRequest.to(
                      gateway.family() == dev.podpath.net.IpFamily.IPV4 ? "default" : "::/0")
                  .via(gateway));
    } catch (KernelException | IllegalArgumentException e) {
      throw new SetupException("gw " + gateway + ": " + e.getMessage());
    }
  }

  @Override
  public boolean hasNamespace(String host, String namespace) {
    return world.findHost(host).flatMap(h -> h.findNamespace(namespace)).isPresent();
  }

  @Override
  public boolean knowsTool(String name) {
    return tools.knows(name);
  }

  @Override
  public ToolResult run(Place place, List<String> argv, Optional<String> stdin) {
    return tools.run(namespace(place), argv, stdin);
  }

  @Override
  public ToolResult writeFile(Place place, String path, String content, boolean append) {
    return ProcSys.write(namespace(place), path, content, append);
  }

  @Override
  public ToolResult serve(Place place, Protocol protocol, int port) {
    NetNamespace ns = namespace(place);
    boolean ok = ns.sockets().bind(new Listener(protocol, Ipv4Address.ANY, port, "serve"));
    if (!ok) {
      return ToolResult.error(
          1,
          "serve "
              + protocol.iptablesName()
              + " "
              + port
              + " in "
              + place.label()
              + ": Address already in use (EADDRINUSE)");
    }
    ns.sockets().bind(new Listener(protocol, Ipv6Address.ANY, port, "serve"));
    return ToolResult.ok();
  }

  @Override
  public List<Attempt> probe(Place from, ProbeSpec spec) {
    NetNamespace ns = namespace(from);
    var req =
        new ProbeRequest(
            spec.protocol() == Protocol.ICMP
                    && spec.destination().family() == dev.podpath.net.IpFamily.IPV6
                ? Protocol.ICMPV6
                : spec.protocol(),
            ns,
            spec.source(),
            spec.sourcePort(),
            spec.destination(),
            spec.port().orElse(0),
            spec.explore() ? 1 : spec.count(),
            spec.explore(),
            spec.seed());
    ProbeResult result;
    try {
      result = prober.probe(req);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new SetupException("probe: " + e.getMessage());
    }
    var out = new ArrayList<Attempt>();
    int n = result.attempts().size();
    for (var a : result.attempts()) {
      Optional<Delivery> d = a.delivery();
      out.add(
          new Attempt(
              a.fate(),
              d.map(Delivery::where),
              d.map(Delivery::local),
              d.map(Delivery::seenFrom),
              // as kernel-lab counts it: the server's answer (not a RST or an ICMP error) came back
              a.answered() && a.fate() == Fate.DELIVERED,
              a.fate() == Fate.DELIVERED ? "" : why(a.forward()),
              result.explored() ? a.probability() : 1.0 / n,
              a.forward(),
              a.reply()));
    }
    return out;
  }

  /** A short reason for a failed attempt, from the last deciding step of its trace. */
  static String why(Trace t) {
    String why = "";
    for (var hop : t.hops()) {
      for (Step s : hop.steps()) {
        switch (s) {
          case Step.Rule r when r.verdict().equals("DROP") || r.verdict().startsWith("REJECT") ->
              why =
                  r.verdict()
                      + " at "
                      + hop.where()
                      + " "
                      + r.table()
                      + "/"
                      + r.chain()
                      + (r.number() == 0
                          ? " policy"
                          : " rule " + r.number() + " (" + r.ruleText() + ")");
          case Step.Drop d -> why = why.isEmpty() ? d.reason() + " at " + hop.where() : why;
          case Step.NoRoute nr -> why = "no route to " + nr.destination() + " at " + hop.where();
          default -> {}
        }
      }
    }
    return why.isEmpty() ? t.fate().word() : why;
  }
}
