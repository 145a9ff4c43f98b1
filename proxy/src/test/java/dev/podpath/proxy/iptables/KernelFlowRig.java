package dev.podpath.proxy.iptables;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.embedded.EmbeddedWorld;
import dev.podpath.kernel.walk.ProbeRequest;
import dev.podpath.kernel.walk.ProbeResult;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Protocol;
import dev.podpath.net.VirtualClock;
import dev.podpath.proxy.ChangeTracker;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A small world around the corpus's {@code test-node} in which a case's packet flows run through
 * the emulated kernel over the rules the proxier generated:
 *
 * <pre>
 *   client (192.168.0.100, 2001:db8::100) ─┐
 *   backends (192.168.0.200, 2001:db8::200; ├─ LAN ─ test-node eth0 (the case's five addresses)
 *     every endpoint IP on lo, listening)  ─┘           └─ veth ─ one pod namespace per pod source
 * </pre>
 *
 * A flow starts where its source lives: from the node itself (a local address, sent through OUTPUT
 * with that source), from the backends host (the source is an endpoint: hairpin), from a pod
 * namespace (another address in the cluster CIDR) or from the client (anything else). The node
 * forwards, has {@code route_localnet} on (kube-proxy sets it for localhost NodePorts) and listens
 * on every health-check node port, as kube-proxy does.
 */
final class KernelFlowRig {

  final EmbeddedWorld world = new EmbeddedWorld();
  final IpFamily family;
  final IptablesProxier proxier;
  final ChangeTracker tracker;
  final KernelIptables iptables;
  private final IpPrefix clusterCidr;
  private final Set<IpAddress> localIps = new HashSet<>();
  private final Set<IpAddress> endpoints = new HashSet<>();
  private final Map<IpAddress, String> pods = new HashMap<>();
  private final Set<Integer> listening = new HashSet<>();

  KernelFlowRig(JsonNode proxierBlock, CorpusRig fakeRig) {
    family = fakeRig.options.family();
    boolean v6 = family == IpFamily.IPV6;
    world.lanHost("test-node", "eth0=192.168.0.2/24");
    for (String a :
        new String[] {"192.168.1.2/24", "192.168.99.11/24", "2001:db8::1/64", "2001:db8:1::2/64"}) {
      world.addr("test-node", "eth0", a);
    }
    world.lanHost("client", "eth0=192.168.0.100/24");
    world.addr("client", "eth0", "2001:db8::100/64");
    for (String h : new String[] {"test-node", "client"}) {
      onLink(h, "2001:db8::/64");
    }
    world.route("client", v6 ? "::/0 via 2001:db8::1 dev eth0" : "default via 192.168.0.2");
    world.lanHost("backends", "eth0=192.168.0.200/24");
    world.addr("backends", "eth0", "2001:db8::200/64");
    onLink("backends", "2001:db8::/64");
    world.route("backends", v6 ? "::/0 via 2001:db8::1 dev eth0" : "default via 192.168.0.2");
    world.route("test-node", v6 ? "::/0 via 2001:db8::100 dev eth0" : "default via 192.168.0.100");
    world.sysctl("test-node", "net.ipv4.ip_forward", "1");
    world.sysctl("test-node", "net.ipv6.conf.all.forwarding", "1");
    world.sysctl("test-node", "net.ipv4.conf.all.route_localnet", "1");
    proxierBlock.path("tracer_local_ips").forEach(a -> localIps.add(IpAddress.parse(a.asText())));
    clusterCidr = IpPrefix.parse(proxierBlock.path("cluster_cidr").asText());
    NetNamespace node = world.ns("test-node");
    iptables = new KernelIptables(node.netfilter(), family);
    tracker = new ChangeTracker(family, fakeRig.options.nodeName());
    proxier =
        new IptablesProxier(fakeRig.options.withoutNfacct(), tracker, iptables, new VirtualClock());
  }

  /** A connected route on eth0, unless adding the address already made one. */
  private void onLink(String host, String prefix) {
    try {
      world.route(host, prefix + " dev eth0");
    } catch (dev.podpath.kernel.KernelException e) {
      // the address's prefix route is there already
    }
  }

  /** Makes every endpoint and health-check port of the current state exist in the world. */
  void populate() {
    for (var e : tracker.servicePorts().entrySet()) {
      for (var ep : tracker.endpoints(e.getKey())) {
        if (endpoints.add(ep.ip())) {
          boolean v6 = family == IpFamily.IPV6;
          world.addr("backends", "lo", ep.ip() + (v6 ? "/128" : "/32"));
          world.route("test-node", ep.ip() + " via " + (v6 ? "2001:db8::200" : "192.168.0.200"));
        }
        listen("backends", e.getKey().protocolName(), ep.port());
      }
      int hc = e.getValue().healthCheckNodePort();
      if (hc != 0) {
        listen("test-node", "tcp", hc);
      }
    }
  }

  private void listen(String ns, String proto, int port) {
    if (listening.add(port * 10 + (ns.equals("backends") ? 1 : 0) + proto.hashCode() * 100_000)) {
      world.listen(ns, proto, port);
      world
          .ns(ns)
          .sockets()
          .bind(
              new dev.podpath.kernel.socket.Listener(
                  Protocol.find(proto).orElseThrow(), IpAddress.parse("::"), port, "serve"));
    }
  }

  /** Explores one flow from where its source lives. */
  ProbeResult probe(String source, String protocol, String dest, int port) {
    IpAddress src = IpAddress.parse(source);
    IpAddress dst = IpAddress.parse(dest);
    String from;
    if (localIps.contains(src)) {
      from = "test-node";
    } else if (endpoints.contains(src)) {
      from = "backends";
    } else if (clusterCidr.contains(src)) {
      from = pod(src);
    } else {
      from = "client";
    }
    Protocol p = Protocol.find(protocol).orElseThrow();
    var req =
        new ProbeRequest(
            p,
            world.ns(from),
            java.util.Optional.of(src),
            java.util.Optional.empty(),
            dst,
            port,
            1,
            true,
            1);
    return world.prober().probe(req);
  }

  private String pod(IpAddress ip) {
    return pods.computeIfAbsent(
        ip,
        a -> {
          String name = "test-node/pod" + pods.size();
          String dev = "vpod" + pods.size();
          boolean v6 = a.family() == IpFamily.IPV6;
          String gw = v6 ? "fd00:ffff::1" : "169.254.1.1";
          world.netns(name);
          world.veth(
              name,
              "eth0",
              a + (v6 ? "/128" : "/32"),
              "test-node",
              dev,
              gw + (v6 ? "/128" : "/32"));
          world.route(name, gw + " dev eth0");
          world.route(name, (v6 ? "::/0" : "default") + " via " + gw);
          world.route("test-node", a + " dev " + dev);
          return name;
        });
  }
}
