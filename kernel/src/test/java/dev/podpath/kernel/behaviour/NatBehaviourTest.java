package dev.podpath.kernel.behaviour;

import static dev.podpath.kernel.embedded.Rules.append;
import static dev.podpath.kernel.embedded.Rules.dnat;
import static dev.podpath.kernel.embedded.Rules.dst;
import static dev.podpath.kernel.embedded.Rules.out;
import static dev.podpath.kernel.embedded.Rules.proto;
import static dev.podpath.kernel.embedded.Rules.random;
import static dev.podpath.kernel.embedded.Rules.tcpDport;
import static dev.podpath.kernel.embedded.Rules.udpDport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.podpath.kernel.embedded.EmbeddedWorld;
import dev.podpath.kernel.embedded.Rules;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NAT and conntrack as Linux does them. Every case was run on Linux 6.18 in namespaces {@code
 * kernel-core-a}, {@code kernel-core-r} (forwarding on) and {@code kernel-core-b}, wired {@code a
 * (10.1.0.2) -- (10.1.0.1) r (10.2.0.1) -- (10.2.0.2) b}, plus a direct veth {@code a (10.3.0.2) --
 * (10.3.0.3) b}; traffic with Python sockets (no nc/ping on the machine): what was seen is quoted
 * in each test.
 */
class NatBehaviourTest {

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
    w.sysctl("host/r", "net.ipv4.ip_forward", "1");
    w.listen("host/b", "tcp", 80);
  }

  /**
   * {@code iptables -t nat -A OUTPUT -d 192.0.2.10 -p tcp --dport 80 -j DNAT --to-destination
   * 10.3.0.3:80} in a, whose default route goes to r: the connection to 192.0.2.10:80 is re-routed
   * after OUTPUT and leaves by the direct link to b ("connected"; b saw the source 10.1.0.2, chosen
   * by the first routing decision).
   */
  @Test
  void aDnatInOutputReroutesThePacketToItsNewDestination() {
    w.veth("host/a", "ab", "10.3.0.2/24", "host/b", "ba", "10.3.0.3/24");
    append(
        w.ns("host/a"),
        TableName.NAT,
        "OUTPUT",
        "-A OUTPUT -d 192.0.2.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.3.0.3:80",
        dnat("10.3.0.3", 80),
        dst("192.0.2.10/32"),
        proto(Protocol.TCP),
        tcpDport(80));
    var r = w.tcp("host/a", "192.0.2.10:80");
    assertThat(r.all(Fate.DELIVERED)).isTrue();
    assertThat(r.answered()).isTrue();
    assertThat(r.last().delivery().orElseThrow().where()).isEqualTo("host/b");
    assertThat(r.last().delivery().orElseThrow().peerAddress()).hasToString("10.1.0.2");
    var hops = r.last().forward().hops();
    assertThat(hops).extracting(h -> h.where()).containsExactly("host/a", "host/b");
    assertThat(hops.get(0).steps())
        .filteredOn(s -> s instanceof Step.Route)
        .extracting(s -> ((Step.Route) s).device())
        .containsExactly("eth0", "ab");
  }

  /**
   * {@code -t nat -A POSTROUTING -o rb -j MASQUERADE} in r: b accepted the connection "from
   * 10.2.0.1", and a got its answer from 10.2.0.2 (the reply translated back).
   */
  @Test
  void masqueradeTakesTheOutgoingInterfacesAddressAndRepliesAreTranslatedBack() {
    append(
        w.ns("host/r"),
        TableName.NAT,
        "POSTROUTING",
        "-A POSTROUTING -o rb -j MASQUERADE",
        Target.Masquerade.plain(),
        out("rb"));
    var r = w.tcp("host/a", "10.2.0.2:80");
    assertThat(r.all(Fate.DELIVERED)).isTrue();
    assertThat(r.last().delivery().orElseThrow().peerAddress()).hasToString("10.2.0.1");
    assertThat(r.answered()).isTrue();
  }

  /**
   * Address selection: with rb carrying 10.2.0.1/24 and the secondary 10.2.0.5/24, b saw "10.2.0.1"
   * (the primary); with no address on rb (route {@code 10.2.0.0/24 dev rb}), b saw "10.1.0.1", r's
   * other global address.
   */
  @Test
  void masqueradePicksTheSourceAsLinuxAddressSelectionDoes() {
    append(
        w.ns("host/r"),
        TableName.NAT,
        "POSTROUTING",
        "-A POSTROUTING -o rb -j MASQUERADE",
        Target.Masquerade.plain(),
        out("rb"));
    w.addr("host/r", "rb", "10.2.0.5/24");
    assertThat(w.tcp("host/a", "10.2.0.2:80").last().delivery().orElseThrow().peerAddress())
        .hasToString("10.2.0.1");

    var r = w.ns("host/r");
    r.routing().flushAddresses("rb");
    w.route("host/r", "10.2.0.0/24 dev rb");
    var b = w.ns("host/b");
    b.routing().deleteRoute(dev.podpath.kernel.route.RouteRequest.to("default"));
    w.route("host/b", "10.1.0.1 dev eth0");
    w.route("host/b", "10.1.0.0/24 via 10.1.0.1 dev eth0");
    var res = w.tcp("host/a", "10.2.0.2:80");
    assertThat(res.last().delivery().orElseThrow().peerAddress()).hasToString("10.1.0.1");
    assertThat(res.answered()).isTrue();
  }

  private void twoBackends() {
    w.netns("host/c");
    w.veth("host/c", "eth0", "10.4.0.2/24", "host/r", "rc", "10.4.0.1/24");
    w.route("host/c", "default via 10.4.0.1");
    w.listen("host/c", "tcp", 80);
    var r = w.ns("host/r");
    append(
        r,
        TableName.NAT,
        "PREROUTING",
        "-A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -m statistic --mode random --probability 0.50000000000 -j DNAT --to-destination 10.2.0.2:80",
        dnat("10.2.0.2", 80),
        dst("10.96.0.10/32"),
        proto(Protocol.TCP),
        tcpDport(80),
        random(0.5));
    append(
        r,
        TableName.NAT,
        "PREROUTING",
        "-A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.4.0.2:80",
        dnat("10.4.0.2", 80),
        dst("10.96.0.10/32"),
        proto(Protocol.TCP),
        tcpDport(80));
  }

  /** kube-proxy's two-endpoint pattern: exactly 50/50 explored, about 50/50 sampled. */
  @Test
  void statisticRandomHalfThenCatchAllSplitsEvenly() {
    twoBackends();
    var explored = w.prober().probe(w.request(Protocol.TCP, "host/a", "10.96.0.10:80").exploring());
    assertThat(explored.attempts()).hasSize(2);
    assertThat(explored.shares().get("host/b")).isCloseTo(0.5, within(1e-9));
    assertThat(explored.shares().get("host/c")).isCloseTo(0.5, within(1e-9));
    assertThat(w.ns("host/r").netfilter().conntrack().count())
        .as("exploring leaves no entry")
        .isZero();

    var sampled =
        w.prober().probe(w.request(Protocol.TCP, "host/a", "10.96.0.10:80").count(400).seed(7));
    assertThat(sampled.shares().get("host/b")).isCloseTo(0.5, within(0.08));
    assertThat(sampled.answered()).isTrue();
  }

  /** A connection keeps its NAT binding after the rules change: later packets follow conntrack. */
  @Test
  void aConnectionKeepsItsBackendAfterTheRulesChange() {
    twoBackends();
    var conn = w.prober().connect(w.request(Protocol.TCP, "host/a", "10.96.0.10:80").seed(3));
    String first = conn.first().delivery().orElseThrow().where();
    String other = first.equals("host/b") ? "10.4.0.2" : "10.2.0.2";
    var r = w.ns("host/r");
    Rules.flush(r, TableName.NAT, "PREROUTING");
    append(
        r,
        TableName.NAT,
        "PREROUTING",
        "-A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination "
            + other
            + ":80",
        dnat(other, 80),
        dst("10.96.0.10/32"),
        proto(Protocol.TCP),
        tcpDport(80));
    for (int i = 0; i < 3; i++) {
      assertThat(conn.next().delivery().orElseThrow().where()).isEqualTo(first);
    }
    assertThat(w.tcp("host/a", "10.96.0.10:80").last().delivery().orElseThrow().where())
        .isNotEqualTo(first);
  }

  /**
   * With only {@code -d 10.96.0.10 -p tcp --dport 80 -j DNAT} in r, a ping to 10.96.0.10 gets no
   * echo reply: r has no route for it and answers "icmp error type 3 code 0".
   */
  @Test
  void aPingToAnAddressThatIsOnlyATcpDnatRuleGetsNoAnswer() {
    append(
        w.ns("host/r"),
        TableName.NAT,
        "PREROUTING",
        "-A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.2.0.2:80",
        dnat("10.2.0.2", 80),
        dst("10.96.0.10/32"),
        proto(Protocol.TCP),
        tcpDport(80));
    assertThat(w.tcp("host/a", "10.96.0.10:80").all(Fate.DELIVERED)).isTrue();
    var ping = w.ping("host/a", "10.96.0.10");
    assertThat(ping.last().fate()).isEqualTo(Fate.UNREACHABLE);
    assertThat(ping.last().delivery()).isEmpty();
  }

  /**
   * UDP from a fixed port to a DNATed 10.96.0.20:53: after the rule is changed to another backend,
   * the next datagram is still "answered" by the old one; after {@code conntrack -D}, it goes by
   * the new rule ("no answer": the new backend does not exist).
   */
  @Test
  void udpKeepsGoingToARemovedBackendUntilItsConntrackEntryIsDeleted() {
    w.listen("host/b", "udp", 53);
    var r = w.ns("host/r");
    append(
        r,
        TableName.NAT,
        "PREROUTING",
        "-A PREROUTING -d 10.96.0.20/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.2.0.2:53",
        dnat("10.2.0.2", 53),
        dst("10.96.0.20/32"),
        proto(Protocol.UDP),
        udpDport(53));
    var req = w.request(Protocol.UDP, "host/a", "10.96.0.20:53").sport(40053);
    assertThat(w.prober().probe(req).last().delivery().orElseThrow().where()).isEqualTo("host/b");
    Rules.flush(r, TableName.NAT, "PREROUTING");
    append(
        r,
        TableName.NAT,
        "PREROUTING",
        "-A PREROUTING -d 10.96.0.20/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.2.0.99:53",
        dnat("10.2.0.99", 53),
        dst("10.96.0.20/32"),
        proto(Protocol.UDP),
        udpDport(53));
    var again = w.prober().probe(req);
    assertThat(again.last().delivery().orElseThrow().where()).isEqualTo("host/b");
    assertThat(again.answered()).isTrue();
    r.netfilter().conntrack().delete(c -> true);
    var after = w.prober().probe(req);
    assertThat(after.last().fate()).isEqualTo(Fate.DROPPED);
    assertThat(after.answered()).isFalse();
  }

  /**
   * {@code -j MARK --set-mark 0x4000} (listed by {@code iptables -S} as {@code --set-xmark
   * 0x4000/0xffffffff}), then {@code --set-xmark 0x4000/0x0}, then {@code -m mark --mark 0x4000 -j
   * DROP}: the ping was answered (the second rule toggled the bit off); without the second rule it
   * failed ("Operation not permitted").
   */
  @Test
  void setXmarkClearsTheMaskThenXorsTheValue() {
    var a = w.ns("host/a");
    append(
        a,
        TableName.MANGLE,
        "OUTPUT",
        "-A OUTPUT -d 10.1.0.1/32 -j MARK --set-xmark 0x4000/0xffffffff",
        Target.Mark.setMark(0x4000),
        dst("10.1.0.1/32"));
    append(
        a,
        TableName.MANGLE,
        "OUTPUT",
        "-A OUTPUT -d 10.1.0.1/32 -j MARK --set-xmark 0x4000/0x0",
        Target.Mark.setXmark(0x4000, 0),
        dst("10.1.0.1/32"));
    append(
        a,
        TableName.MANGLE,
        "OUTPUT",
        "-A OUTPUT -d 10.1.0.1/32 -m mark --mark 0x4000 -j DROP",
        new Target.Drop(),
        dst("10.1.0.1/32"),
        Rules.mark(0x4000));
    assertThat(w.ping("host/a", "10.1.0.1").all(Fate.DELIVERED)).isTrue();
    assertThat(Target.Mark.setMark(0x4000)).isEqualTo(Target.Mark.setXmark(0x4000, 0xffffffff));

    Rules.flush(a, TableName.MANGLE, "OUTPUT");
    append(
        a,
        TableName.MANGLE,
        "OUTPUT",
        "-A OUTPUT -d 10.1.0.1/32 -j MARK --set-xmark 0x4000/0xffffffff",
        Target.Mark.setMark(0x4000),
        dst("10.1.0.1/32"));
    append(
        a,
        TableName.MANGLE,
        "OUTPUT",
        "-A OUTPUT -d 10.1.0.1/32 -m mark --mark 0x4000 -j DROP",
        new Target.Drop(),
        dst("10.1.0.1/32"),
        Rules.mark(0x4000));
    assertThat(w.ping("host/a", "10.1.0.1").all(Fate.DROPPED)).isTrue();
  }

  /**
   * {@code -t nat -A PREROUTING -p tcp --dport 30080 -j DNAT --to-destination 127.0.0.1:8080} in r
   * with a listener on 127.0.0.1:8080: "timeout" while route_localnet is 0; "connected" (the
   * listener saw 10.1.0.2) after {@code sysctl -w net.ipv4.conf.ra.route_localnet=1}.
   */
  @Test
  void aDnatToLocalhostWorksOnlyWithRouteLocalnet() {
    var r = w.ns("host/r");
    r.sockets()
        .bind(
            new dev.podpath.kernel.socket.Listener(
                Protocol.TCP, dev.podpath.net.IpAddress.parse("127.0.0.1"), 8080, "serve"));
    append(
        r,
        TableName.NAT,
        "PREROUTING",
        "-A PREROUTING -p tcp -m tcp --dport 30080 -j DNAT --to-destination 127.0.0.1:8080",
        dnat("127.0.0.1", 8080),
        proto(Protocol.TCP),
        tcpDport(30080));
    var before = w.tcp("host/a", "10.1.0.1:30080");
    assertThat(before.all(Fate.DROPPED)).isTrue();
    assertThat(before.last().forward().steps())
        .anyMatch(s -> s instanceof Step.Drop d && d.reason().contains("martian"));
    w.sysctl("host/r", "net.ipv4.conf.ra.route_localnet", "1");
    var after = w.tcp("host/a", "10.1.0.1:30080");
    assertThat(after.all(Fate.DELIVERED)).isTrue();
    assertThat(after.last().delivery().orElseThrow().local()).isEqualTo("127.0.0.1:8080");
    assertThat(after.last().delivery().orElseThrow().peerAddress()).hasToString("10.1.0.2");
    assertThat(after.answered()).isTrue();
  }

  /**
   * LOG writes its prefix and the packet's fields and the packet goes on to the next rule (the
   * kernel logs only in the initial namespace by default, so this follows xt_LOG's documented
   * format rather than a line seen here).
   */
  @Test
  void logRecordsALineAndThePacketContinues() {
    var r = w.ns("host/r");
    append(
        r,
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD -p tcp -j LOG --log-prefix \"fwd: \"",
        Target.Log.withPrefix("fwd: "),
        proto(Protocol.TCP));
    append(
        r,
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD -p tcp -m tcp --dport 80 -j DROP",
        new Target.Drop(),
        proto(Protocol.TCP),
        tcpDport(80));
    var res = w.tcp("host/a", "10.2.0.2:80");
    assertThat(res.all(Fate.DROPPED)).isTrue();
    assertThat(res.last().logPrefixes()).containsExactly("fwd: ");
    assertThat(res.last().logs().get(0))
        .startsWith("fwd: IN=ra OUT=rb ")
        .contains("SRC=10.1.0.2 DST=10.2.0.2")
        .contains("DPT=80");
    assertThat(res.last().chains()).contains("filter/FORWARD");
  }

  /**
   * UDP to a DNATed 10.96.0.21:54 whose backend has no listener: the backend's ICMP port
   * unreachable is RELATED to the connection, translated back on r, and the client sees "refused".
   */
  @Test
  void anIcmpErrorFromABackendIsRelatedAndTranslatedBack() {
    append(
        w.ns("host/r"),
        TableName.NAT,
        "PREROUTING",
        "-A PREROUTING -d 10.96.0.21/32 -p udp -m udp --dport 54 -j DNAT --to-destination 10.2.0.2:54",
        dnat("10.2.0.2", 54),
        dst("10.96.0.21/32"),
        proto(Protocol.UDP),
        udpDport(54));
    var r = w.udp("host/a", "10.96.0.21:54");
    assertThat(r.all(Fate.REFUSED)).isTrue();
    assertThat(r.answered()).isTrue();
    assertThat(r.last().reply().orElseThrow().steps())
        .anyMatch(s -> s instanceof Step.Conntrack c && c.state().startsWith("RELATED"));
  }
}
