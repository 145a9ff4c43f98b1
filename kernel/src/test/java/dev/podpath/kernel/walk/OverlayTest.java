package dev.podpath.kernel.walk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.embedded.EmbeddedWorld;
import dev.podpath.kernel.link.MacAddress;
import dev.podpath.kernel.link.Vxlan;
import dev.podpath.net.IpAddress;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hosts on the LAN, and a flannel-style VXLAN overlay between them: each node has {@code flannel.1}
 * (VNI 1, port 8472) holding 10.244.N.0/32, a route {@code 10.244.M.0/24 via 10.244.M.0 dev
 * flannel.1 onlink}, a permanent neighbour and an FDB entry for the peer's VTEP as flanneld
 * programs them, and pods on {@code cni0}.
 */
class OverlayTest {

  private final EmbeddedWorld w = new EmbeddedWorld();

  @BeforeEach
  void cluster() {
    w.lanHost("node1", "eth0=192.168.0.1/24");
    w.lanHost("node2", "eth0=192.168.0.2/24");
  }

  /** Two hosts on the LAN reach each other; a third address on the LAN gets no ARP answer. */
  @Test
  void hostsOnTheLanReachEachOther() {
    w.listen("node2", "tcp", 22);
    var r = w.tcp("node1", "192.168.0.2:22");
    assertThat(r.all(Fate.DELIVERED)).isTrue();
    assertThat(r.answered()).isTrue();
    assertThat(r.last().forward().hops())
        .extracting(h -> h.where())
        .containsExactly("node1", "node2");
    assertThat(w.ping("node1", "192.168.0.9").all(Fate.DROPPED)).isTrue();
  }

  private void node(int n, int peer) {
    String host = "node" + n;
    var ns = w.ns(host);
    ns.sysctls().set("net.ipv4.ip_forward", "1");
    var vx =
        ns.addVxlan(
            "flannel.1",
            1,
            Optional.of(IpAddress.parse("192.168.0." + n)),
            Optional.empty(),
            Optional.of("eth0"),
            Vxlan.LINUX_DEFAULT_PORT);
    w.addr(host, "flannel.1", "10.244." + n + ".0/32");
    ns.setUp("flannel.1", true);
    w.bridge(host, "cni0", "10.244." + n + ".1/24");
    w.pod(host, "cni0", host + "/pod", "10.244." + n + ".5/24", "10.244." + n + ".1");
  }

  private void peer(int n, int peer) {
    var ns = w.ns("node" + n);
    var peerVtep = (Vxlan) w.link("node" + peer, "flannel.1");
    var gw = IpAddress.parse("10.244." + peer + ".0");
    ns.neighbours().put(gw, "flannel.1", peerVtep.mac());
    ((Vxlan) ns.link("flannel.1")).addFdb(peerVtep.mac(), IpAddress.parse("192.168.0." + peer));
    ns.routing()
        .addRoute(
            dev.podpath.kernel.route.RouteRequest.to("10.244." + peer + ".0/24")
                .via(gw)
                .dev("flannel.1")
                .withOnlink());
  }

  /** A pod on node1 reaches a pod on node2 through the tunnel, and the answer comes back. */
  @Test
  void podsReachEachOtherAcrossTheVxlanOverlay() {
    node(1, 2);
    node(2, 1);
    peer(1, 2);
    peer(2, 1);
    w.listen("node2/pod", "tcp", 8080);
    var r = w.tcp("node1/pod", "10.244.2.5:8080");
    assertThat(r.all(Fate.DELIVERED)).isTrue();
    assertThat(r.answered()).isTrue();
    assertThat(r.last().delivery().orElseThrow().peerAddress()).hasToString("10.244.1.5");
    assertThat(r.last().forward().steps())
        .anyMatch(s -> s instanceof Step.Note n && n.text().startsWith("vxlan: encapsulated VNI 1"))
        .anyMatch(
            s -> s instanceof Step.Note n && n.text().startsWith("vxlan: decapsulated VNI 1"));
    assertThat(r.last().forward().hops())
        .extracting(h -> h.where())
        .containsSubsequence("node1/pod", "node1", "node2", "node2/pod");
  }

  /** Without the FDB entry for the peer's VTEP the frame has nowhere to go. */
  @Test
  void withoutAnFdbEntryTheOverlayDrops() {
    node(1, 2);
    node(2, 1);
    var ns = w.ns("node1");
    var peerVtep = (Vxlan) w.link("node2", "flannel.1");
    ns.neighbours().put(IpAddress.parse("10.244.2.0"), "flannel.1", peerVtep.mac());
    w.route("node1", "10.244.2.0/32 dev flannel.1");
    w.route("node1", "10.244.2.0/24 via 10.244.2.0 dev flannel.1");
    var r = w.ping("node1/pod", "10.244.2.5");
    assertThat(r.all(Fate.DROPPED)).isTrue();
    assertThat(r.last().forward().steps())
        .anyMatch(s -> s instanceof Step.Drop d && d.reason().contains("no fdb entry"));
    assertThat(MacAddress.parse(peerVtep.mac().toString())).isEqualTo(peerVtep.mac());
  }
}
