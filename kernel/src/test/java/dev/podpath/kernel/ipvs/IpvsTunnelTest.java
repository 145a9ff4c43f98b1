package dev.podpath.kernel.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.embedded.EmbeddedWorld;
import dev.podpath.kernel.walk.Attempt;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IPVS tunnel forwarding ({@code ipvsadm -a … -i}, LVS-TUN), as {@code ip_vs_tunnel_xmit} does it:
 * the director wraps the client's packet in an IPv4 header of protocol 4 from its own address (the
 * one routing picks towards the real server) to the real server, with the inner packet's TTL, and
 * sends it as a local packet. The real server takes the header off on an ipip tunnel device ({@code
 * tunl0}, up, holding the virtual address, with {@code arp_ignore=1} so that only the director
 * answers ARP for it) and answers the client directly. Hosts on one LAN: client 192.168.0.20,
 * director {@code lb} 192.168.0.10 with the virtual address 192.168.0.100 on a dummy, real server
 * {@code rs} 192.168.0.11. IPVS and ipip are not in the kernel on our machines, so the director's
 * side follows net/netfilter/ipvs/ip_vs_xmit.c and the real server's net/ipv4/ipip.c and tunnel4.c;
 * the answer of a host without ipip was checked on Linux 6.18.
 */
class IpvsTunnelTest {

  private static final ServiceKey VIP =
      new ServiceKey.Inet(Protocol.TCP, IpAddress.parse("192.168.0.100"), 80);

  private final EmbeddedWorld w = new EmbeddedWorld();

  @BeforeEach
  void lan() {
    w.lanHost("client", "eth0=192.168.0.20/24");
    w.lanHost("lb", "eth0=192.168.0.10/24");
    w.lanHost("rs", "eth0=192.168.0.11/24");
    var lb = w.ns("lb");
    lb.addDummy("vip0");
    w.addr("lb", "vip0", "192.168.0.100/32");
    lb.setUp("vip0", true);
    lb.ipvs().addService(VIP, Scheduler.RR, Optional.empty(), 32);
    lb.ipvs().addServer(VIP, IpAddress.parse("192.168.0.11"), 80, ForwardMethod.TUNNEL, 1);
    w.listen("rs", "tcp", 80);
    w.sysctl("rs", "net.ipv4.conf.all.arp_ignore", "1");
  }

  /**
   * The real server side of LVS-TUN: {@code ip link set tunl0 up; ip addr add VIP/32 dev tunl0}.
   */
  private void realServerTunnel() {
    var rs = w.ns("rs");
    rs.addIpip("ipip0", Optional.empty(), Optional.empty(), 0, true); // loads the module
    rs.deleteLink("ipip0");
    rs.setUp("tunl0", true);
    w.addr("rs", "tunl0", "192.168.0.100/32");
  }

  private Attempt connect() {
    return w.prober().probe(w.request(Protocol.TCP, "client", "192.168.0.100:80")).last();
  }

  @Test
  void theDirectorWrapsThePacketInIpInIpAndTheRealServerAnswersTheClientDirectly() {
    realServerTunnel();
    Attempt a = connect();
    assertThat(a.fate()).isEqualTo(Fate.DELIVERED);
    assertThat(a.delivery().orElseThrow().where()).isEqualTo("rs");
    assertThat(a.delivery().orElseThrow().local()).isEqualTo("192.168.0.100:80");
    assertThat(a.delivery().orElseThrow().seenFrom()).startsWith("192.168.0.20:");
    assertThat(a.answered()).isTrue();
    assertThat(a.forward().hops()).extracting(h -> h.where()).containsExactly("client", "lb", "rs");
    assertThat(notes(a.forward().hops().get(1).steps()))
        .anyMatch(
            n -> n.startsWith("ipvs tunnel: encapsulated in ipencap 192.168.0.10 -> 192.168.0.11"));
    List<Step> rsSteps = a.forward().hops().get(2).steps();
    assertThat(notes(rsSteps))
        .anyMatch(n -> n.startsWith("ipip: tunl0 decapsulates tcp 192.168.0.20:"));
    assertThat(rsSteps).anyMatch(s -> s instanceof Step.Receive r && r.link().equals("tunl0"));
    // the answer goes from the real server to the client, not back through the director
    assertThat(a.reply().orElseThrow().hops())
        .extracting(h -> h.where())
        .containsExactly("rs", "client");
  }

  @Test
  void theOuterPacketIsAConnectionOfItsOwnInTheDirectorsConntrack() {
    realServerTunnel();
    connect();
    assertThat(w.ns("lb").netfilter().conntrack().list())
        .extracting(Object::toString)
        .contains(
            "unknown  4 600 src=192.168.0.10 dst=192.168.0.11 [UNREPLIED] src=192.168.0.11"
                + " dst=192.168.0.10 mark=0 use=1");
  }

  /**
   * Real (Linux 6.18, no ipip): a protocol-4 packet to a namespace got ICMP protocol unreachable
   * (type 3 code 2, 81 bytes for a 33-byte inner packet) and IpInUnknownProtos counted it.
   */
  @Test
  void aRealServerWithoutIpipAnswersTheDirectorProtocolUnreachable() {
    Attempt a = connect();
    assertThat(a.fate()).isEqualTo(Fate.DROPPED);
    assertThat(a.answered()).isFalse();
    var reply = a.reply().orElseThrow();
    assertThat(reply.hops()).extracting(h -> h.where()).containsExactly("rs", "lb");
    assertThat(reply.steps())
        .anyMatch(
            s ->
                s instanceof Step.Transmit t
                    && t.packet().equals("icmp 192.168.0.11 -> 192.168.0.10 type 3 code 2"));
  }

  /** tunnel4_rcv: the module is there but no tunnel that is up takes the packet. */
  @Test
  void withTheModuleButTunl0DownTheAnswerIsPortUnreachable() {
    realServerTunnel();
    w.ns("rs").setUp("tunl0", false);
    Attempt a = connect();
    assertThat(a.fate()).isEqualTo(Fate.DROPPED);
    assertThat(a.reply().orElseThrow().steps())
        .anyMatch(
            s ->
                s instanceof Step.Transmit t
                    && t.packet().equals("icmp 192.168.0.11 -> 192.168.0.10 type 3 code 3"));
  }

  /** ip_tunnel_lookup prefers the tunnel whose endpoints both match over the fallback device. */
  @Test
  void aTunnelForTheDirectorTakesThePacketBeforeTheFallbackDevice() {
    realServerTunnel();
    var rs = w.ns("rs");
    rs.addIpip(
        "fromlb",
        Optional.of(IpAddress.parse("192.168.0.11")),
        Optional.of(IpAddress.parse("192.168.0.10")),
        0,
        true);
    rs.setUp("fromlb", true);
    Attempt a = connect();
    assertThat(a.fate()).isEqualTo(Fate.DELIVERED);
    assertThat(notes(a.forward().hops().get(2).steps()))
        .anyMatch(n -> n.startsWith("ipip: fromlb decapsulates"));
  }

  private static List<String> notes(List<Step> steps) {
    return steps.stream()
        .filter(s -> s instanceof Step.Note)
        .map(s -> ((Step.Note) s).text())
        .toList();
  }
}
