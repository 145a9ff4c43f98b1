package dev.podpath.kernel.behaviour;

import static dev.podpath.kernel.embedded.Rules.append;
import static dev.podpath.kernel.embedded.Rules.dnat;
import static dev.podpath.kernel.embedded.Rules.dst;
import static dev.podpath.kernel.embedded.Rules.proto;
import static dev.podpath.kernel.embedded.Rules.src;
import static dev.podpath.kernel.embedded.Rules.tcpDport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.embedded.EmbeddedWorld;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bridges and br_netfilter. Checked on Linux 6.18 with a bridge {@code kcbr0} (10.5.0.1/24) in
 * namespace {@code kernel-core-r} and pods {@code kernel-core-p1} (10.5.0.11) and {@code
 * kernel-core-p2} (10.5.0.12) on it, default route via the bridge, a Service-like DNAT in r's
 * PREROUTING; what was seen is quoted in each test.
 */
class BridgeBehaviourTest {

  private final EmbeddedWorld w = new EmbeddedWorld();

  @BeforeEach
  void topology() {
    w.bridge("node", "cni0", "10.5.0.1/24");
    w.sysctl("node", "net.ipv4.ip_forward", "1");
    w.pod("node", "cni0", "node/p1", "10.5.0.11/24", "10.5.0.1");
    w.pod("node", "cni0", "node/p2", "10.5.0.12/24", "10.5.0.1");
    w.listen("node/p1", "tcp", 80).listen("node/p2", "tcp", 80);
  }

  private void service(String vip, String backend) {
    append(
        w.ns("node"),
        TableName.NAT,
        "PREROUTING",
        "-A PREROUTING -d "
            + vip
            + "/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination "
            + backend
            + ":80",
        dnat(backend, 80),
        dst(vip + "/32"),
        proto(Protocol.TCP),
        tcpDport(80));
  }

  /** Pod to pod on one bridge: the frame is bridged by the FDB, the pods' addresses unchanged. */
  @Test
  void podsOnOneBridgeReachEachOther() {
    var r = w.tcp("node/p1", "10.5.0.12:80");
    assertThat(r.all(Fate.DELIVERED)).isTrue();
    assertThat(r.answered()).isTrue();
    assertThat(r.last().forward().steps())
        .anyMatch(s -> s instanceof Step.Bridge b && b.outPorts().equals("veth-p2"));
  }

  /**
   * A Service VIP DNATed to a pod on the same bridge: "connected" while {@code
   * net.bridge.bridge-nf-call-iptables} is 1 (the reply, bridged, passes conntrack and is
   * un-DNATed); "timeout" with 0 (the reply comes from 10.5.0.12, which p1 never asked). The
   * bridged frames are seen by iptables only while the sysctl is 1.
   */
  @Test
  void bridgedTrafficPassesIptablesOnlyWithBridgeNfCallIptables() {
    service("10.96.0.30", "10.5.0.12");
    append(
        w.ns("node"),
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD -m comment --comment bridged -j ACCEPT",
        new Target.Accept());
    var on = w.tcp("node/p1", "10.96.0.30:80");
    assertThat(on.all(Fate.DELIVERED)).isTrue();
    assertThat(on.answered()).isTrue();
    assertThat(on.last().reply().orElseThrow().hitChain("filter", "FORWARD"))
        .as("the bridged reply met iptables")
        .isTrue();

    w.sysctl("node", "net.bridge.bridge-nf-call-iptables", "0");
    var off = w.tcp("node/p1", "10.96.0.30:80");
    assertThat(off.last().delivery().orElseThrow().where()).isEqualTo("node/p2");
    assertThat(off.answered()).isFalse();
    assertThat(off.last().reply().orElseThrow().hitChain("filter", "FORWARD")).isFalse();
  }

  /**
   * A pod reaching itself through a VIP: "timeout" with hairpin off; with {@code ip link set kcvp1
   * type bridge_slave hairpin on} "connected", the server seeing "10.5.0.1" (the bridge's address,
   * from {@code -s 10.5.0.11 -d 10.5.0.11 -j MASQUERADE}).
   */
  @Test
  void hairpinNeedsHairpinModeOnTheBridgePort() {
    service("10.96.0.31", "10.5.0.11");
    append(
        w.ns("node"),
        TableName.NAT,
        "POSTROUTING",
        "-A POSTROUTING -s 10.5.0.11/32 -d 10.5.0.11/32 -j MASQUERADE",
        Target.Masquerade.plain(),
        src("10.5.0.11/32"),
        dst("10.5.0.11/32"));
    var off = w.tcp("node/p1", "10.96.0.31:80");
    assertThat(off.all(Fate.DROPPED)).isTrue();
    assertThat(off.last().forward().steps())
        .anyMatch(s -> s instanceof Step.Drop d && d.reason().contains("hairpin"));

    w.link("node", "veth-p1").setHairpin(true);
    var on = w.tcp("node/p1", "10.96.0.31:80");
    assertThat(on.all(Fate.DELIVERED)).isTrue();
    assertThat(on.last().delivery().orElseThrow().peerAddress()).hasToString("10.5.0.1");
    assertThat(on.answered()).isTrue();
  }

  /**
   * A bridge learns where addresses live: the second frame to p2 is forwarded by the FDB, not
   * flooded.
   */
  @Test
  void theBridgeLearnsAddressesFromSourceMacs() {
    w.tcp("node/p1", "10.5.0.12:80");
    var bridge = (dev.podpath.kernel.link.Bridge) w.link("node", "cni0");
    assertThat(bridge.fdb())
        .anyMatch(
            e ->
                e.device().equals("veth-p2")
                    && e.kind() == dev.podpath.kernel.link.FdbEntry.Kind.LEARNED);
    var again = w.tcp("node/p1", "10.5.0.12:80");
    assertThat(again.last().forward().steps())
        .anyMatch(s -> s instanceof Step.Bridge b && b.reason().equals("fdb"));
  }

  /**
   * With ports, the bridge's address is its ports' lowest ({@code kcbr0} showed {@code kcvp1}'s
   * 42:e9:86:b9:eb:b3).
   */
  @Test
  void theBridgeTakesItsLowestPortAddress() {
    var br = w.link("node", "cni0");
    var lowest =
        java.util.stream.Stream.of(w.link("node", "veth-p1"), w.link("node", "veth-p2"))
            .map(l -> l.mac())
            .min(dev.podpath.kernel.link.MacAddress::compareTo)
            .orElseThrow();
    assertThat(br.mac()).isEqualTo(lowest);
  }
}
