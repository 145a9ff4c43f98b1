package dev.podpath.kernel.walk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.embedded.EmbeddedWorld;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packet walk without netfilter rules, checked against Linux 6.18 in namespaces {@code
 * kernel-core-a}, {@code kernel-core-r} and {@code kernel-core-b} ({@code a -- r -- b} by veths,
 * {@code nc -l} and {@code nc -z} for TCP, {@code nc -u} for UDP, {@code ping -c1}).
 */
class PacketWalkTest {

  private final EmbeddedWorld w = new EmbeddedWorld();

  @BeforeEach
  void topology() {
    w.netns("host/a");
    w.netns("host/r");
    w.netns("host/b");
    w.veth("host/a", "eth0", "10.1.0.2/24", "host/r", "ra", "10.1.0.1/24");
    w.veth("host/b", "eth0", "10.2.0.2/24", "host/r", "rb", "10.2.0.1/24");
    w.route("host/a", "default via 10.1.0.1");
    w.route("host/b", "default via 10.2.0.1");
  }

  /** {@code nc -z 10.1.0.1 80} with {@code nc -l 80} in r: connected; the server sees 10.1.0.2. */
  @Test
  void aTcpConnectionToAListenerIsDeliveredAndAnswered() {
    w.listen("host/r", "tcp", 80);
    var r = w.tcp("host/a", "10.1.0.1:80");
    assertThat(r.all(Fate.DELIVERED)).isTrue();
    assertThat(r.answered()).isTrue();
    var d = r.last().delivery().orElseThrow();
    assertThat(d.where()).isEqualTo("host/r");
    assertThat(d.local()).isEqualTo("10.1.0.1:80");
    assertThat(d.peerAddress()).hasToString("10.1.0.2");
  }

  /**
   * Without a listener: {@code nc: connect to 10.1.0.1 port 81 (tcp) failed: Connection refused}.
   */
  @Test
  void tcpWithoutAListenerIsRefusedByARst() {
    var r = w.tcp("host/a", "10.1.0.1:81");
    assertThat(r.all(Fate.REFUSED)).isTrue();
    assertThat(r.answered()).as("the RST gets back").isTrue();
  }

  /** UDP without a listener: ICMP port unreachable comes back ({@code nc -u} reports refused). */
  @Test
  void udpWithoutAListenerIsRefusedByIcmpPortUnreachable() {
    var r = w.udp("host/a", "10.1.0.1:53");
    assertThat(r.all(Fate.REFUSED)).isTrue();
    assertThat(r.answered()).isTrue();
    assertThat(r.last().reply().orElseThrow().steps()).anyMatch(s -> s instanceof Step.Deliver);
  }

  /**
   * With {@code ip_forward=0} in r, {@code ping 10.2.0.2} from a gets no answer (r drops it); with
   * {@code sysctl -w net.ipv4.ip_forward=1} it is answered.
   */
  @Test
  void forwardingNeedsIpForward() {
    var before = w.ping("host/a", "10.2.0.2");
    assertThat(before.all(Fate.DROPPED)).isTrue();
    assertThat(before.answered()).isFalse();
    assertThat(before.last().forward().steps())
        .anyMatch(s -> s instanceof Step.Drop d && d.reason().contains("forwarding is off"));

    w.sysctl("host/r", "net.ipv4.ip_forward", "1");
    var after = w.ping("host/a", "10.2.0.2");
    assertThat(after.all(Fate.DELIVERED)).isTrue();
    assertThat(after.answered()).isTrue();
    assertThat(after.last().forward().hops())
        .extracting(h -> h.where())
        .containsExactly("host/a", "host/r", "host/b");
  }

  /**
   * {@code ping 10.9.9.9} from b with no default route: {@code connect: Network is unreachable}.
   */
  @Test
  void noRouteIsUnreachableBeforeAnyHook() {
    w.ns("host/b").routing().deleteRoute(dev.podpath.kernel.route.RouteRequest.to("default"));
    var r = w.ping("host/b", "10.9.9.9");
    assertThat(r.all(Fate.UNREACHABLE)).isTrue();
    assertThat(r.last().forward().steps().toList()).noneMatch(s -> s instanceof Step.HookEntered);
  }

  /**
   * {@code ip link set ra down} in r: a's pings to 10.1.0.1 go unanswered (a's eth0 has no
   * carrier); with r's end up but the interface down in a, nothing leaves either.
   */
  @Test
  void aDownInterfaceOrADownPeerDeliversNothing() {
    w.up("host/r", "ra", false);
    assertThat(w.ping("host/a", "10.1.0.1").all(Fate.DROPPED)).isTrue();
    w.up("host/r", "ra", true);
    assertThat(w.ping("host/a", "10.1.0.1").all(Fate.DELIVERED)).isTrue();
    w.up("host/a", "eth0", false);
    assertThat(w.ping("host/a", "10.1.0.1").all(Fate.DELIVERED)).isFalse();
  }

  /** Weak host model: r answers a ping from a to r's address on the other side (10.2.0.1). */
  @Test
  void anyLocalAddressIsReachableThroughAnyInterface() {
    var r = w.ping("host/a", "10.2.0.1");
    assertThat(r.all(Fate.DELIVERED)).isTrue();
    assertThat(r.last().delivery().orElseThrow().where()).isEqualTo("host/r");
  }

  /** ARP for an address nobody has fails: the packet is dropped, not unreachable. */
  @Test
  void aNeighbourThatDoesNotAnswerDrops() {
    var r = w.ping("host/a", "10.1.0.77");
    assertThat(r.all(Fate.DROPPED)).isTrue();
    assertThat(r.last().forward().steps())
        .anyMatch(s -> s instanceof Step.Neighbour n && !n.resolved());
  }

  /** A connection to 127.0.0.1 or to the namespace's own address goes through lo and back. */
  @Test
  void trafficToOwnAddressesGoesThroughLoopback() {
    w.listen("host/r", "tcp", 22);
    var lo = w.tcp("host/r", "127.0.0.1:22");
    assertThat(lo.all(Fate.DELIVERED)).isTrue();
    assertThat(lo.answered()).isTrue();
    assertThat(lo.last().forward().steps())
        .anyMatch(s -> s instanceof Step.Transmit t && t.link().equals("lo"));
    var own = w.tcp("host/r", "10.2.0.1:22");
    assertThat(own.last().delivery().orElseThrow().peerAddress()).hasToString("10.2.0.1");
  }

  /**
   * IPv6 works the same way: neighbour discovery, forwarding by {@code
   * net.ipv6.conf.all.forwarding}.
   */
  @Test
  void ipv6IsForwardedOnlyWithIpv6Forwarding() {
    w.addr("host/a", "eth0", "fd00:1::2/64");
    w.addr("host/r", "ra", "fd00:1::1/64");
    w.addr("host/r", "rb", "fd00:2::1/64");
    w.addr("host/b", "eth0", "fd00:2::2/64");
    w.route("host/a", "fd00:2::/64 via fd00:1::1");
    w.route("host/b", "fd00:1::/64 via fd00:2::1");
    w.listen("host/b", "tcp", 80);
    var tcp =
        w.prober()
            .probe(
                ProbeRequest.tcp(w.ns("host/a"), dev.podpath.net.IpAddress.parse("fd00:2::2"), 80));
    assertThat(tcp.all(Fate.DROPPED)).isTrue();
    w.sysctl("host/r", "net.ipv6.conf.all.forwarding", "1");
    var again =
        w.prober()
            .probe(
                ProbeRequest.tcp(w.ns("host/a"), dev.podpath.net.IpAddress.parse("fd00:2::2"), 80));
    assertThat(again.all(Fate.DELIVERED)).isTrue();
    assertThat(again.answered()).isTrue();
    assertThat(w.ping("host/a", "fd00:2::1").all(Fate.DELIVERED)).isTrue();
  }

  /**
   * After traffic, {@code ip neigh} lists the resolved gateway {@code REACHABLE}, later {@code
   * STALE}.
   */
  @Test
  void resolvedNeighboursAreListedReachableThenStale() {
    w.ping("host/a", "10.1.0.1");
    var entries = w.ns("host/a").neighbours().entries();
    assertThat(entries)
        .extracting(e -> e.address().toString() + " " + e.device() + " " + e.state())
        .containsExactly("10.1.0.1 eth0 REACHABLE");
    assertThat(entries.get(0).mac()).contains(w.link("host/r", "ra").mac());
    w.advance(java.time.Duration.ofSeconds(31));
    assertThat(w.ns("host/a").neighbours().entries().get(0).state()).isEqualTo("STALE");
  }

  /**
   * Seen on 6.18: a datagram to an address on the link nobody has leaves {@code 10.98.0.7 dev v0
   * INCOMPLETE} (no lladdr) while the kernel solicits (3 probes, 1 s apart), then {@code FAILED},
   * which stays; an answer later makes it {@code REACHABLE}.
   */
  @Test
  void anUnansweredResolutionIsListedIncompleteThenFailed() {
    var silent = dev.podpath.net.IpAddress.parse("10.1.0.99");
    assertThat(w.ping("host/a", "10.1.0.99").all(Fate.DROPPED)).isTrue();
    assertThat(w.ns("host/a").neighbours().entries())
        .extracting(e -> e.address() + " " + e.device() + " " + e.mac() + " " + e.state())
        .containsExactly("10.1.0.99 eth0 Optional.empty INCOMPLETE");
    w.advance(java.time.Duration.ofSeconds(3));
    assertThat(w.ns("host/a").neighbours().entries())
        .extracting(e -> e.address() + " " + e.state())
        .containsExactly("10.1.0.99 FAILED");
    w.advance(java.time.Duration.ofMinutes(10));
    assertThat(w.ns("host/a").neighbours().entries())
        .extracting(e -> e.address() + " " + e.state())
        .containsExactly("10.1.0.99 FAILED");
    w.ns("host/r")
        .routing()
        .addAddress(
            "ra",
            dev.podpath.net.IpPrefix.parse("10.1.0.99/24"),
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            java.util.Optional.empty());
    assertThat(w.ping("host/a", silent.toString()).all(Fate.DELIVERED)).isTrue();
    assertThat(w.ns("host/a").neighbours().entries())
        .extracting(e -> e.address() + " " + e.state())
        .contains("10.1.0.99 REACHABLE");
  }
}
