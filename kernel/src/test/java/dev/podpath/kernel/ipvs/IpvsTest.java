package dev.podpath.kernel.ipvs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.podpath.kernel.embedded.EmbeddedWorld;
import dev.podpath.kernel.walk.Attempt;
import dev.podpath.kernel.walk.ProbeResult;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Fate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IPVS as ipvsadm(8) and the kernel's IPVS documentation describe it (the kernel on our machines
 * has no IPVS, so these follow the documentation and net/netfilter/ipvs/ip_vs_*.c): a node whose
 * dummy {@code kube-ipvs0} holds the virtual address, as kube-proxy's IPVS mode sets it up, and
 * real servers in pods on a bridge.
 */
class IpvsTest {

  private static final ServiceKey VIP =
      new ServiceKey.Inet(Protocol.TCP, IpAddress.parse("10.96.0.10"), 80);

  private final EmbeddedWorld w = new EmbeddedWorld();
  private Ipvs ipvs;

  @BeforeEach
  void node() {
    var node = w.host("node").root();
    node.sysctls().set("net.ipv4.ip_forward", "1");
    w.bridge("node", "cni0", "10.244.0.1/24");
    w.pod("node", "cni0", "node/b1", "10.244.0.11/24", "10.244.0.1");
    w.pod("node", "cni0", "node/b2", "10.244.0.12/24", "10.244.0.1");
    w.pod("node", "cni0", "node/client", "10.244.0.20/24", "10.244.0.1");
    w.listen("node/b1", "tcp", 80).listen("node/b2", "tcp", 80);
    node.addDummy("kube-ipvs0");
    w.addr("node", "kube-ipvs0", "10.96.0.10/32");
    ipvs = node.ipvs();
  }

  private void service(Scheduler s, int w1, int w2) {
    ipvs.addService(VIP, s, Optional.empty(), 32);
    ipvs.addServer(VIP, IpAddress.parse("10.244.0.11"), 80, ForwardMethod.MASQ, w1);
    ipvs.addServer(VIP, IpAddress.parse("10.244.0.12"), 80, ForwardMethod.MASQ, w2);
  }

  private ProbeResult connect(int count) {
    return w.prober().probe(w.request(Protocol.TCP, "node/client", "10.96.0.10:80").count(count));
  }

  private static List<String> where(ProbeResult r) {
    return r.attempts().stream()
        .map(a -> a.delivery().map(d -> d.namespace()).orElse(a.fate().word()))
        .toList();
  }

  /** rr: "distributing jobs equally amongst the available real servers", in turn. */
  @Test
  void roundRobinTakesTheServersInTurnAndTheRepliesAreUnNated() {
    service(Scheduler.RR, 1, 1);
    var r = connect(4);
    assertThat(where(r)).containsExactly("b1", "b2", "b1", "b2");
    assertThat(r.answered()).isTrue();
    assertThat(r.last().delivery().orElseThrow().seenFrom()).startsWith("10.244.0.20:");
    assertThat(ipvs.services().get(0).destinations())
        .extracting(Destination::activeConns)
        .containsExactly(2, 2);
  }

  /** Explored, the hidden round-robin position gives each server its exact share. */
  @Test
  void exploredRoundRobinGivesEachServerAnEqualShare() {
    service(Scheduler.RR, 1, 1);
    var r = w.prober().probe(w.request(Protocol.TCP, "node/client", "10.96.0.10:80").exploring());
    assertThat(r.shares()).containsOnlyKeys("node/b1", "node/b2");
    assertThat(r.shares().get("node/b1")).isCloseTo(0.5, within(1e-9));
    assertThat(ipvs.connections()).as("exploring leaves no connection behind").isEmpty();
  }

  /** wrr: "servers with higher weights receive new jobs first and get more jobs". */
  @Test
  void weightedRoundRobinFollowsTheWeights() {
    service(Scheduler.WRR, 3, 1);
    assertThat(where(connect(4))).containsExactly("b1", "b1", "b1", "b2");
    var explored =
        w.prober().probe(w.request(Protocol.TCP, "node/client", "10.96.0.10:80").exploring());
    assertThat(explored.shares().get("node/b1")).isCloseTo(0.75, within(1e-9));
  }

  /** lc: "assigns more jobs to real servers with fewer active jobs". */
  @Test
  void leastConnectionPicksTheServerWithFewerConnections() {
    ipvs.addService(VIP, Scheduler.LC, Optional.empty(), 32);
    ipvs.addServer(VIP, IpAddress.parse("10.244.0.11"), 80, ForwardMethod.MASQ, 1);
    connect(1);
    ipvs.addServer(VIP, IpAddress.parse("10.244.0.12"), 80, ForwardMethod.MASQ, 1);
    assertThat(where(connect(1))).containsExactly("b2");
  }

  /** sh: the same client address always lands on the same server. */
  @Test
  void sourceHashingKeepsAClientOnOneServer() {
    service(Scheduler.SH, 1, 1);
    var r = connect(5);
    assertThat(where(r).stream().distinct().count()).isEqualTo(1);
  }

  /** Persistence ({@code -p 300}): a client's later connections go where its first one went. */
  @Test
  void persistenceSendsAClientBackToItsServer() {
    ipvs.addService(VIP, Scheduler.RR, Optional.of(300), 32);
    ipvs.addServer(VIP, IpAddress.parse("10.244.0.11"), 80, ForwardMethod.MASQ, 1);
    ipvs.addServer(VIP, IpAddress.parse("10.244.0.12"), 80, ForwardMethod.MASQ, 1);
    assertThat(where(connect(3))).containsExactly("b1", "b1", "b1");
    w.advance(Duration.ofSeconds(1000));
    assertThat(where(connect(1))).containsExactly("b2");
  }

  /**
   * Graceful removal: weight 0 stops new connections; an established connection keeps its server;
   * with no server left the client gets ICMP port unreachable ({@code ip_vs_leave}).
   */
  @Test
  void aQuiescedServerKeepsItsConnectionsButGetsNoNewOnes() {
    service(Scheduler.RR, 1, 1);
    var conn = w.prober().connect(w.request(Protocol.TCP, "node/client", "10.96.0.10:80"));
    assertThat(conn.first().delivery().orElseThrow().namespace()).isEqualTo("b1");
    ipvs.editServer(VIP, IpAddress.parse("10.244.0.11"), 80, ForwardMethod.MASQ, 0);
    assertThat(where(connect(2))).containsExactly("b2", "b2");
    Attempt later = conn.next();
    assertThat(later.delivery().orElseThrow().namespace()).isEqualTo("b1");
    ipvs.deleteServer(VIP, IpAddress.parse("10.244.0.12"), 80);
    ipvs.deleteServer(VIP, IpAddress.parse("10.244.0.11"), 80);
    assertThat(connect(1).all(Fate.REJECTED)).isTrue();
  }

  /**
   * Connections live on the virtual clock for the protocol's timeout after their last packet (tcp
   * 900 s, udp 300 s by default); the counts {@code ipvsadm -Ln} shows drop when they expire,
   * without anything reading the connection table first.
   */
  @Test
  void connectionCountsFallWhenTheConnectionsTimeOut() {
    assertThat(ipvs.timeouts()).isEqualTo(Ipvs.DEFAULT_TIMEOUTS);
    assertThat(Ipvs.DEFAULT_TIMEOUTS.tcp()).hasSeconds(900);
    assertThat(Ipvs.DEFAULT_TIMEOUTS.tcpFin()).hasSeconds(120);
    assertThat(Ipvs.DEFAULT_TIMEOUTS.udp()).hasSeconds(300);
    service(Scheduler.RR, 1, 1);
    var conn = w.prober().connect(w.request(Protocol.TCP, "node/client", "10.96.0.10:80"));
    assertThat(active()).containsExactly(1, 0);
    w.advance(Duration.ofSeconds(600));
    conn.next(); // a packet restarts the timer
    w.advance(Duration.ofSeconds(899));
    assertThat(active()).containsExactly(1, 0);
    w.advance(Duration.ofSeconds(2));
    assertThat(active()).containsExactly(0, 0);

    ipvs.setTimeouts(
        new Ipvs.Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(5)));
    connect(1);
    w.advance(Duration.ofSeconds(59));
    assertThat(active()).containsExactly(0, 1);
    w.advance(Duration.ofSeconds(2));
    assertThat(active()).containsExactly(0, 0);
    assertThatThrownBy(
            () -> new Ipvs.Timeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .hasMessageContaining("positive");
  }

  private List<Integer> active() {
    return ipvs.services().get(0).destinations().stream().map(Destination::activeConns).toList();
  }

  /** ipvsadm's refusals and {@code -Sn}'s lines. */
  @Test
  void configurationErrorsAndSaveFormat() {
    service(Scheduler.WLC, 1, 2);
    assertThatThrownBy(() -> ipvs.addService(VIP, Scheduler.RR, Optional.empty(), 32))
        .hasMessage("Service already exists");
    assertThatThrownBy(
            () -> ipvs.addServer(VIP, IpAddress.parse("10.244.0.11"), 80, ForwardMethod.MASQ, 1))
        .hasMessage("Destination already exists");
    assertThatThrownBy(() -> ipvs.deleteServer(VIP, IpAddress.parse("10.244.0.99"), 80))
        .hasMessage("No such destination");
    assertThat(ipvs.services().get(0).saveLines())
        .containsExactly(
            "-A -t 10.96.0.10:80 -s wlc",
            "-a -t 10.96.0.10:80 -r 10.244.0.11:80 -m -w 1",
            "-a -t 10.96.0.10:80 -r 10.244.0.12:80 -m -w 2");
  }

  /**
   * Direct routing ({@code -g}): the packet goes unchanged to the real server, which holds the
   * virtual address itself (on a dummy), and answers the client directly from it.
   */
  @Test
  void directRoutingLeavesThePacketAloneAndTheServerAnswersDirectly() {
    for (var b : List.of("node/b1", "node/b2")) {
      w.ns(b).addDummy("vip0");
      w.addr(b, "vip0", "10.96.0.10/32");
      w.ns(b).setUp("vip0", true);
      w.sysctl(b, "net.ipv4.conf.all.arp_ignore", "1");
    }
    ipvs.addService(VIP, Scheduler.RR, Optional.empty(), 32);
    ipvs.addServer(VIP, IpAddress.parse("10.244.0.11"), 80, ForwardMethod.GATE, 1);
    var r = connect(1);
    assertThat(where(r)).containsExactly("b1");
    assertThat(r.last().delivery().orElseThrow().local()).isEqualTo("10.96.0.10:80");
    assertThat(r.answered()).isTrue();
    assertThat(ipvs.services().get(0).destinations().get(0).method().listed()).isEqualTo("Route");
  }

  /** A firewall-mark service takes the packets a mangle rule marked. */
  @Test
  void aFwmarkServiceTakesMarkedPackets() {
    var key = new ServiceKey.Fwmark(1, dev.podpath.net.IpFamily.IPV4);
    ipvs.addService(key, Scheduler.RR, Optional.empty(), 32);
    ipvs.addServer(key, IpAddress.parse("10.244.0.12"), 80, ForwardMethod.MASQ, 1);
    dev.podpath.kernel.embedded.Rules.append(
        w.ns("node"),
        dev.podpath.kernel.netfilter.rule.TableName.MANGLE,
        "PREROUTING",
        "-A PREROUTING -d 10.96.0.10/32 -j MARK --set-xmark 0x1/0xffffffff",
        dev.podpath.kernel.netfilter.rule.Target.Mark.setMark(1),
        dev.podpath.kernel.embedded.Rules.dst("10.96.0.10/32"));
    assertThat(where(connect(1))).containsExactly("b2");
    assertThat(ipvs.services().get(0).saveLines())
        .containsExactly("-A -f 1 -s rr", "-a -f 1 -r 10.244.0.12:80 -m -w 1");
  }
}
