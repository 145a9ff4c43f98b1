package dev.podpath.bench;

import dev.podpath.kernel.Host;
import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.kernel.route.RouteRequest;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import java.util.Optional;

/** The node shape the first-packet benchmarks share: pods on a {@code cni0} bridge. */
public final class PodNamespaces {

  private PodNamespaces() {}

  /**
   * A pod's namespace {@code name} with {@code eth0} at {@code addr}/24, its host end {@code
   * veth-NAME} enslaved to {@code cni0}, and a default route via 10.244.0.1, as the bridge CNI
   * plugin leaves it.
   */
  public static NetNamespace pod(Host host, String name, IpAddress addr) {
    var ns = host.addNamespace(name);
    ns.setUp("lo", true);
    ns.addVeth("eth0", "veth-" + name, Optional.of(host.root()));
    ns.routing()
        .addAddress(
            "eth0", new IpPrefix(addr, 24), Optional.empty(), Optional.empty(), Optional.empty());
    ns.setUp("eth0", true);
    host.root().setUp("veth-" + name, true);
    host.root().setMaster("veth-" + name, "cni0");
    ns.routing().addRoute(RouteRequest.to("default").via(IpAddress.parse("10.244.0.1")));
    return ns;
  }

  /** Empties every conntrack table of {@code world} each 4,096th call (counted by the caller). */
  public static void flushConntrackEvery4096(World world, long ops) {
    if (ops % 4096 == 0) {
      for (var h : world.hosts()) {
        h.namespaces().forEach(ns -> ns.netfilter().conntrack().flush());
      }
    }
  }
}
