package dev.podpath.kernel.netfilter;

import static dev.podpath.kernel.netfilter.Pk.dport;
import static dev.podpath.kernel.netfilter.Pk.dst;
import static dev.podpath.kernel.netfilter.Pk.ip;
import static dev.podpath.kernel.netfilter.Pk.proto;
import static dev.podpath.kernel.netfilter.Pk.replyTo;
import static dev.podpath.kernel.netfilter.Pk.syn;
import static dev.podpath.kernel.netfilter.Pk.udp;
import static dev.podpath.kernel.netfilter.Pk.udpDport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.conntrack.ConntrackRecord;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.TcpFlag;
import dev.podpath.net.trace.Step;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * NAT through a router namespace, as checked on Linux 6.18 (iptables 1.8.9 nf_tables): client
 * namespace 10.1.0.2 and .3 on rc (10.1.0.1), server 10.2.0.2 on rs (10.2.0.1); in the router
 * {@code -t nat -A PREROUTING -d 10.1.0.1 -p tcp --dport 8080 -j DNAT --to-destination
 * 10.2.0.2:80}, the same for udp 5353 to :53, and {@code -A POSTROUTING -o rs -j MASQUERADE}. The
 * server saw 10.2.0.1:5000 for the first client, 10.2.0.1:32874 for the second client's clashing
 * source port 5000; {@code iptables -t nat -L -v} counted one packet per connection.
 */
class NatTest {

  private final Harness h = router();

  static Harness router() {
    Harness h = new Harness().address("rc", "10.1.0.1/24").address("rs", "10.2.0.1/24");
    h.append(
        TableName.NAT,
        "PREROUTING",
        "-A PREROUTING -d 10.1.0.1/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.2.0.2:80",
        Target.Dnat.to(ip("10.2.0.2"), 80),
        dst("10.1.0.1"),
        proto(Protocol.TCP),
        dport(8080));
    h.append(
        TableName.NAT,
        "PREROUTING",
        "-A PREROUTING -d 10.1.0.1/32 -p udp -m udp --dport 5353 -j DNAT --to-destination 10.2.0.2:53",
        Target.Dnat.to(ip("10.2.0.2"), 53),
        dst("10.1.0.1"),
        proto(Protocol.UDP),
        udpDport(5353));
    h.append(
        TableName.NAT,
        "POSTROUTING",
        "-A POSTROUTING -o rs -j MASQUERADE",
        Target.Masquerade.plain(),
        new Match.OutInterface("rs", false));
    return h;
  }

  @Test
  void dnatAndMasqueradeRewriteTheFirstPacketAndTheServerSeesTheRouter() {
    var r = h.forward(syn("10.1.0.2", 5000, "10.1.0.1", 8080), "rc", "rs");
    assertThat(r.accepted()).isTrue();
    assertThat(r.packet()).isEqualTo(syn("10.2.0.1", 5000, "10.2.0.2", 80));
    assertThat(r.steps())
        .filteredOn(s -> s instanceof Step.Nat)
        .extracting(s -> ((Step.Nat) s).kind())
        .containsExactly("DNAT", "SNAT");
  }

  @Test
  void repliesAreTranslatedBack() {
    var out = h.forward(syn("10.1.0.2", 5000, "10.1.0.1", 8080), "rc", "rs");
    var back = h.forward(replyTo(out.packet()), "rs", "rc");
    assertThat(back.packet().src()).isEqualTo(ip("10.1.0.1"));
    assertThat(back.packet().srcPort()).isEqualTo(8080);
    assertThat(back.packet().dst()).isEqualTo(ip("10.1.0.2"));
    assertThat(back.packet().dstPort()).isEqualTo(5000);
    assertThat(back.ctx().ctState().name()).isEqualTo("ESTABLISHED");
    assertThat(back.steps())
        .filteredOn(s -> s instanceof Step.Nat)
        .extracting(s -> ((Step.Nat) s).kind())
        .containsExactly("un-SNAT", "un-DNAT");
  }

  @Test
  void aClashingSourcePortIsReallocatedAbove1023() {
    h.forward(syn("10.1.0.2", 5000, "10.1.0.1", 8080), "rc", "rs");
    var second = h.forward(syn("10.1.0.3", 5000, "10.1.0.1", 8080), "rc", "rs");
    assertThat(second.packet().src()).isEqualTo(ip("10.2.0.1"));
    assertThat(second.packet().srcPort()).isNotEqualTo(5000).isBetween(1024, 65535);
    var back = h.forward(replyTo(second.packet()), "rs", "rc");
    assertThat(back.packet().dst()).isEqualTo(ip("10.1.0.3"));
    assertThat(back.packet().dstPort()).isEqualTo(5000);
  }

  @Test
  void theNatTableCountsOnlyTheFirstPacketOfEachConnection() {
    var first = h.forward(syn("10.1.0.2", 5000, "10.1.0.1", 8080), "rc", "rs");
    h.forward(replyTo(first.packet()), "rs", "rc");
    h.forward(Pk.tcp("10.1.0.2", 5000, "10.1.0.1", 8080, TcpFlag.ACK), "rc", "rs");
    h.forward(syn("10.1.0.3", 5000, "10.1.0.1", 8080), "rc", "rs");
    Table nat = h.nf.table(IpFamily.IPV4, TableName.NAT);
    // real: [2:120] -A PREROUTING ... --dport 8080 ...; [4:178] MASQUERADE with two udp flows too
    assertThat(nat.requireChain("PREROUTING").rules().get(0).counters().packets()).isEqualTo(2);
    assertThat(nat.requireChain("PREROUTING").rules().get(0).counters().bytes()).isEqualTo(120);
    assertThat(nat.requireChain("POSTROUTING").rules().get(0).counters().packets()).isEqualTo(2);
  }

  @Test
  void conntrackListsTheTranslatedConnectionsAsConntrackDashLDoes() {
    var a = h.forward(udp("10.1.0.2", 5001, "10.1.0.1", 5353), "rc", "rs");
    h.forward(replyTo(a.packet()), "rs", "rc");
    h.ns.clock.advance(Duration.ofSeconds(3));
    List<String> lines = h.nf.conntrack().list().stream().map(ConntrackRecord::toString).toList();
    // real (3 s later): udp      17 27 src=10.1.0.2 dst=10.1.0.1 sport=5001 dport=5353
    //   src=10.2.0.2 dst=10.2.0.1 sport=53 dport=5001 mark=0 use=1
    assertThat(lines)
        .containsExactly(
            "udp      17 27 src=10.1.0.2 dst=10.1.0.1 sport=5001 dport=5353 "
                + "src=10.2.0.2 dst=10.2.0.1 sport=53 dport=5001 mark=0 use=1");
  }

  /**
   * Seen on 6.18: with a rule that still needs conntrack (here {@code -m state --state INVALID} in
   * filter), a connection keeps its DNAT binding after every NAT rule is flushed; a new connection
   * is not translated.
   */
  @Test
  void aConnectionKeepsItsBindingAfterTheRulesChangeWhileConntrackIsNeeded() {
    var first = h.forward(udp("10.1.0.2", 5001, "10.1.0.1", 5353), "rc", "rs");
    h.forward(replyTo(first.packet()), "rs", "rc");
    h.nf.commit(Table.empty(IpFamily.IPV4, TableName.NAT)); // every NAT rule gone
    h.nf.commit(filterWithInvalidStateRule());
    var again = h.forward(udp("10.1.0.2", 5001, "10.1.0.1", 5353), "rc", "rs");
    assertThat(again.packet()).isEqualTo(udp("10.2.0.1", 5001, "10.2.0.2", 53));
    var fresh = h.forward(udp("10.1.0.2", 5002, "10.1.0.1", 5353), "rc", "rs");
    assertThat(fresh.packet()).isEqualTo(udp("10.1.0.2", 5002, "10.1.0.1", 5353));
  }

  /**
   * Seen on 6.18: when the last rule needing conntrack goes, conntrack leaves the namespace: the
   * entry stays in {@code conntrack -L} until it times out, but the connection's next packet is no
   * longer looked up, so it is not translated, and a new connection makes no entry.
   */
  @Test
  void withoutRulesNeedingConntrackAnExistingBindingNoLongerApplies() {
    var first = h.forward(udp("10.1.0.2", 5001, "10.1.0.1", 5353), "rc", "rs");
    h.forward(replyTo(first.packet()), "rs", "rc");
    h.nf.commit(Table.empty(IpFamily.IPV4, TableName.NAT)); // every rule gone
    assertThat(h.nf.tracking(IpFamily.IPV4)).isFalse();
    var again = h.forward(udp("10.1.0.2", 5001, "10.1.0.1", 5353), "rc", "rs");
    assertThat(again.packet()).isEqualTo(udp("10.1.0.2", 5001, "10.1.0.1", 5353));
    h.forward(udp("10.1.0.2", 5002, "10.1.0.1", 5353), "rc", "rs");
    assertThat(h.nf.conntrack().list()).hasSize(1);
  }

  private static Table filterWithInvalidStateRule() {
    Table filter = Table.empty(IpFamily.IPV4, TableName.FILTER);
    return filter.withChain(
        filter
            .requireChain("FORWARD")
            .append(
                new dev.podpath.kernel.netfilter.rule.Rule(
                    List.of(
                        new Match.State(
                            java.util.Set.of(dev.podpath.kernel.path.CtState.INVALID), false)),
                    new Target.None(),
                    "-A FORWARD -m state --state INVALID",
                    dev.podpath.kernel.netfilter.rule.Counters.ZERO)));
  }

  @Test
  void udpGoesToARemovedBackendUntilItsConntrackEntryIsDeleted() {
    h.forward(udp("10.1.0.2", 5001, "10.1.0.1", 5353), "rc", "rs");
    Table nat = Table.empty(IpFamily.IPV4, TableName.NAT);
    nat =
        nat.withChain(
            nat.requireChain("PREROUTING")
                .append(
                    new dev.podpath.kernel.netfilter.rule.Rule(
                        List.of(dst("10.1.0.1"), proto(Protocol.UDP), udpDport(5353)),
                        Target.Dnat.to(ip("10.2.0.3"), 53),
                        "-A PREROUTING -d 10.1.0.1/32 -p udp -m udp --dport 5353 -j DNAT --to-destination 10.2.0.3:53",
                        dev.podpath.kernel.netfilter.rule.Counters.ZERO)));
    h.nf.commit(nat);
    assertThat(h.forward(udp("10.1.0.2", 5001, "10.1.0.1", 5353), "rc", "rs").packet().dst())
        .isEqualTo(ip("10.2.0.2"));
    int deleted = h.nf.conntrack().delete(c -> c.original().dstPort() == 5353);
    assertThat(deleted).isEqualTo(1);
    assertThat(h.forward(udp("10.1.0.2", 5001, "10.1.0.1", 5353), "rc", "rs").packet().dst())
        .isEqualTo(ip("10.2.0.3"));
  }

  @Test
  void masqueradeTakesTheOutgoingInterfaceAddressAndDropsWithoutOne() {
    Harness g = new Harness().address("eth0", "192.168.1.5/24");
    g.append(
        TableName.NAT, "POSTROUTING", "-A POSTROUTING -j MASQUERADE", Target.Masquerade.plain());
    var r = g.forward(udp("10.244.0.5", 40000, "8.8.8.8", 53), "cni0", "eth0");
    assertThat(r.packet().src()).isEqualTo(ip("192.168.1.5"));
    Harness none = new Harness();
    none.append(
        TableName.NAT, "POSTROUTING", "-A POSTROUTING -j MASQUERADE", Target.Masquerade.plain());
    assertThat(none.forward(udp("10.244.0.5", 40000, "8.8.8.8", 53), "cni0", "eth0").accepted())
        .isFalse();
  }

  @Test
  void aDnatInOutputTranslatesLocallyGeneratedPackets() {
    Harness g = new Harness().address("eth0", "192.168.1.5/24");
    g.append(
        TableName.NAT,
        "OUTPUT",
        "-A OUTPUT -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.1.7:8080",
        Target.Dnat.to(ip("10.244.1.7"), 8080),
        dst("10.96.0.10"),
        proto(Protocol.TCP),
        dport(80));
    var r = g.localOut(syn("192.168.1.5", 40000, "10.96.0.10", 80), "eth0");
    assertThat(r.packet()).isEqualTo(syn("192.168.1.5", 40000, "10.244.1.7", 8080));
  }

  @Test
  void redirectSendsToTheIncomingInterfaceAddressOrLoopbackForLocalPackets() {
    Harness g = new Harness().address("eth0", "192.168.1.5/24");
    g.append(
        TableName.NAT,
        "PREROUTING",
        "-A PREROUTING -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 3128",
        new Target.Redirect(
            Optional.of(new dev.podpath.kernel.netfilter.rule.PortRange(3128, 3128)), false),
        proto(Protocol.TCP),
        dport(80));
    g.append(
        TableName.NAT,
        "OUTPUT",
        "-A OUTPUT -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 3128",
        new Target.Redirect(
            Optional.of(new dev.podpath.kernel.netfilter.rule.PortRange(3128, 3128)), false),
        proto(Protocol.TCP),
        dport(80));
    assertThat(g.localIn(syn("192.168.1.9", 40000, "1.2.3.4", 80), "eth0").packet())
        .isEqualTo(syn("192.168.1.9", 40000, "192.168.1.5", 3128));
    assertThat(g.localOut(syn("192.168.1.5", 40000, "1.2.3.4", 80), "eth0").packet())
        .isEqualTo(syn("192.168.1.5", 40000, "127.0.0.1", 3128));
  }

  @Test
  void pingThroughMasqueradeKeepsItsIdAndIsAnswered() {
    var r = h.forward(Pk.ping("10.1.0.2", "10.2.0.2", 77), "rc", "rs");
    assertThat(r.packet().src()).isEqualTo(ip("10.2.0.1"));
    var back = h.forward(replyTo(r.packet()), "rs", "rc");
    assertThat(back.packet().dst()).isEqualTo(ip("10.1.0.2"));
    assertThat(back.packet().icmpId()).isEqualTo(77);
    // real: icmp     1 29 src=10.1.0.2 dst=10.2.0.2 type=8 code=0 id=77 src=10.2.0.2 dst=10.2.0.1
    // type=0 code=0 id=77 mark=0 use=1
    assertThat(h.nf.conntrack().list().get(0).toString())
        .isEqualTo(
            "icmp     1 30 src=10.1.0.2 dst=10.2.0.2 type=8 code=0 id=77 src=10.2.0.2 dst=10.2.0.1 type=0 code=0 id=77 mark=0 use=1");
  }

  @Test
  void aPingToAnAddressThatIsOnlyATcpDnatIsNotTranslated() {
    Packet ping = Pk.ping("10.1.0.2", "10.1.0.1", 5);
    var r = h.localIn(ping, "rc");
    assertThat(r.packet()).isEqualTo(ping);
    assertThat(r.steps()).noneMatch(s -> s instanceof Step.Nat);
  }

  /**
   * kube-proxy's guard for route_localnet: {@code -A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8
   * -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP} drops a packet sent to 127.0.0.1
   * from outside, but not one DNATed there (a NodePort on localhost).
   */
  @Test
  void theLocalhostGuardLetsDnatedPacketsThrough() {
    Harness g = new Harness().address("eth0", "192.168.1.5/24").address("lo", "127.0.0.1/8");
    g.append(
        TableName.NAT,
        "PREROUTING",
        "-A PREROUTING -d 192.168.1.5/32 -p tcp -m tcp --dport 30080 -j DNAT --to-destination 127.0.0.1:8080",
        Target.Dnat.to(ip("127.0.0.1"), 8080),
        dst("192.168.1.5"),
        proto(Protocol.TCP),
        dport(30080));
    g.append(
        TableName.FILTER,
        "INPUT",
        "-A INPUT ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP",
        new Target.Drop(),
        new Match.Source(Pk.prefix("127.0.0.0/8"), true),
        dst("127.0.0.0/8"),
        Match.Conntrack.builder()
            .states(
                Negatable.not(
                    java.util.Set.of(
                        dev.podpath.kernel.path.CtState.RELATED,
                        dev.podpath.kernel.path.CtState.ESTABLISHED,
                        dev.podpath.kernel.path.CtState.DNAT)))
            .build());
    assertThat(g.localIn(syn("192.168.1.9", 40000, "192.168.1.5", 30080), "eth0").accepted())
        .isTrue();
    assertThat(g.localIn(syn("192.168.1.9", 40001, "127.0.0.1", 8080), "eth0").accepted())
        .isFalse();
  }
}
