package dev.podpath.kernel.walk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.kernel.KernelException;
import dev.podpath.kernel.embedded.EmbeddedWorld;
import dev.podpath.kernel.link.Ipip;
import dev.podpath.kernel.route.RouteRequest;
import dev.podpath.net.IpAddress;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ipip tunnels as Linux's ipip module makes them (net/ipv4/ipip.c, ip_tunnel.c; the kernel on our
 * machines has no ipip, so this follows the sources): creating the first one loads the module,
 * which gives every namespace of the host, then and later, a fallback {@code tunl0} that cannot be
 * deleted or moved; a packet routed to a tunnel is wrapped in IP-in-IP to its remote end or, for
 * {@code tunl0}, to the route's gateway (Calico's {@code 10.244.2.0/24 via 192.168.0.2 dev tunl0
 * onlink}), and unwrapped at the other end by a tunnel that is up.
 */
class IpipTunnelTest {

  private final EmbeddedWorld w = new EmbeddedWorld();

  @BeforeEach
  void lan() {
    w.lanHost("node1", "eth0=192.168.0.1/24");
    w.lanHost("node2", "eth0=192.168.0.2/24");
  }

  private void calico(String node, String own, String peerNet, String peerNode) {
    var ns = w.ns(node);
    ns.addIpip("ipip0", Optional.empty(), Optional.empty(), 0, true);
    ns.deleteLink("ipip0");
    ns.setUp("tunl0", true);
    w.addr(node, "tunl0", own);
    ns.routing()
        .addRoute(
            RouteRequest.to(peerNet).via(IpAddress.parse(peerNode)).dev("tunl0").withOnlink());
  }

  @Test
  void loadingTheModuleGivesEveryNamespaceAFallbackTunl0ThatStays() {
    var host = w.host("node1");
    host.addNamespace("before");
    assertThat(host.root().findLink("tunl0")).isEmpty();
    host.root().addIpip("t1", Optional.empty(), Optional.of(IpAddress.parse("10.0.0.2")), 0, true);
    host.addNamespace("after");
    for (var ns : host.namespaces()) {
      assertThat(ns.link("tunl0"))
          .isInstanceOfSatisfying(Ipip.class, t -> assertThat(t.fallback()).isTrue());
      assertThat(ns.link("tunl0").adminUp()).isFalse();
    }
    assertThat(w.host("node2").root().findLink("tunl0")).as("another machine").isEmpty();
    host.root().deleteLink("tunl0"); // ip_tunnel_dellink leaves the fallback device
    assertThat(host.root().findLink("tunl0")).isPresent();
    assertThatThrownBy(() -> host.root().moveLink("tunl0", host.namespace("before")))
        .isInstanceOf(KernelException.class)
        .hasMessage("RTNETLINK answers: Invalid argument");
    assertThatThrownBy(
            () -> host.root().addIpip("tunl0", Optional.empty(), Optional.empty(), 0, true))
        .isInstanceOf(KernelException.class)
        .hasMessage("RTNETLINK answers: File exists");
  }

  @Test
  void aRouteThroughTunl0WrapsThePacketToTheGatewayAndTheOtherNodeUnwrapsIt() {
    calico("node1", "10.244.1.1/32", "10.244.2.0/24", "192.168.0.2");
    calico("node2", "10.244.2.1/32", "10.244.1.0/24", "192.168.0.1");
    w.listen("node2", "tcp", 80);
    var r = w.tcp("node1", "10.244.2.1:80");
    assertThat(r.all(Fate.DELIVERED)).isTrue();
    assertThat(r.answered()).isTrue();
    var a = r.last();
    assertThat(a.delivery().orElseThrow().seenFrom()).startsWith("10.244.1.1:");
    assertThat(a.forward().steps())
        .anyMatch(
            s ->
                s instanceof Step.Transmit t
                    && t.link().equals("eth0")
                    && t.packet().equals("ipencap 192.168.0.1 -> 192.168.0.2"))
        .anyMatch(s -> s instanceof Step.Receive t && t.link().equals("tunl0"));
  }

  @Test
  void aTunnelThatIsDownDropsWhatIsRoutedToIt() {
    calico("node1", "10.244.1.1/32", "10.244.2.0/24", "192.168.0.2");
    w.ns("node1").setUp("tunl0", false);
    var r = w.tcp("node1", "10.244.2.1:80");
    assertThat(r.all(Fate.UNREACHABLE)).as("its routes went with it").isTrue();
  }
}
