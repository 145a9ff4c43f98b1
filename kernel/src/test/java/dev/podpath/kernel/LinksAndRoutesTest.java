package dev.podpath.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.kernel.link.OperState;
import dev.podpath.kernel.route.Route;
import dev.podpath.kernel.route.RouteRequest;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Links, addresses and routes behave as iproute2 shows them on Linux 6.18. Each expectation was
 * seen in namespaces {@code kernel-core-a} and {@code kernel-core-b} with a veth pair between them.
 */
class LinksAndRoutesTest {

  private final World world = new World();
  private final Host host = world.addHost("host");
  private final NetNamespace a = host.addNamespace("a");
  private final NetNamespace b = host.addNamespace("b");

  private void addr(NetNamespace ns, String dev, String prefix) {
    ns.routing()
        .addAddress(
            dev, IpPrefix.parse(prefix), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A new namespace has {@code lo} down: {@code <LOOPBACK> mtu 65536 qdisc noop state DOWN}. */
  @Test
  void aNewNamespaceHasOnlyLoopbackDown() {
    assertThat(a.links()).hasSize(1);
    var lo = a.loopback();
    assertThat(lo.flags()).containsExactly("LOOPBACK");
    assertThat(lo.mtu()).isEqualTo(65536);
    assertThat(lo.qdisc()).isEqualTo("noop");
    assertThat(lo.operState()).isEqualTo(OperState.DOWN);
    a.setUp("lo", true);
    assertThat(lo.flags()).containsExactly("LOOPBACK", "UP", "LOWER_UP");
    assertThat(lo.operState()).isEqualTo(OperState.UNKNOWN);
  }

  /**
   * A veth end that is up while its peer is down shows {@code <NO-CARRIER,BROADCAST,MULTICAST,UP>
   * state LOWERLAYERDOWN}; once the peer is up, {@code <BROADCAST,MULTICAST,UP,LOWER_UP> state UP}.
   * (When both ends have the same index in their namespaces, 6.18 says {@code state DOWN} instead,
   * see the next test.)
   */
  @Test
  void vethCarrierFollowsThePeer() {
    b.addDummy("d0");
    var v = a.addVeth("va", "vb", Optional.of(b));
    a.setUp("va", true);
    assertThat(v.flags()).containsExactly("NO-CARRIER", "BROADCAST", "MULTICAST", "UP");
    assertThat(v.operState()).isEqualTo(OperState.LOWERLAYERDOWN);
    b.setUp("vb", true);
    assertThat(v.flags()).containsExactly("BROADCAST", "MULTICAST", "UP", "LOWER_UP");
    assertThat(v.operState()).isEqualTo(OperState.UP);
    assertThat(a.linkNetns(v)).contains("b");
  }

  /**
   * {@code kca0@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> ... state DOWN}: both ends are index 2.
   */
  @Test
  void aVethWhosePeerHasItsIndexSaysDown() {
    var v = a.addVeth("va", "vb", Optional.of(b));
    a.setUp("va", true);
    assertThat(v.ifindex()).isEqualTo(v.peer().ifindex());
    assertThat(v.operState()).isEqualTo(OperState.DOWN);
  }

  /**
   * {@code ip addr add 10.1.0.1/24 dev va} on a down device adds only {@code local 10.1.0.1 ...
   * table local proto kernel scope host src 10.1.0.1}; bringing it up adds the subnet and broadcast
   * routes; taking it down removes them again but keeps the local route.
   */
  @Test
  void anAddressBringsItsRoutesAsTheDeviceComesUp() {
    a.addVeth("va", "vb", Optional.of(b));
    addr(a, "va", "10.1.0.1/24");
    assertThat(a.routing().allRoutes())
        .map(Route::toString)
        .containsExactly("local 10.1.0.1 dev va table local proto kernel scope host src 10.1.0.1");
    a.setUp("va", true);
    assertThat(a.routing().allRoutes())
        .map(Route::toString)
        .containsExactly(
            "10.1.0.0/24 dev va proto kernel scope link src 10.1.0.1",
            "local 10.1.0.1 dev va table local proto kernel scope host src 10.1.0.1",
            "broadcast 10.1.0.255 dev va table local proto kernel scope link src 10.1.0.1");
    a.setUp("va", false);
    assertThat(a.routing().allRoutes())
        .map(Route::toString)
        .containsExactly("local 10.1.0.1 dev va table local proto kernel scope host src 10.1.0.1");
  }

  /** Adding an address twice: {@code Error: ipv4: Address already assigned.} */
  @Test
  void addingAnExistingAddressFails() {
    a.addVeth("va", "vb", Optional.of(b));
    addr(a, "va", "10.1.0.1/24");
    assertThatThrownBy(() -> addr(a, "va", "10.1.0.1/24"))
        .isInstanceOfSatisfying(
            KernelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST))
        .hasMessage("Error: ipv4: Address already assigned.");
    assertThatThrownBy(() -> a.routing().deleteAddress("va", IpPrefix.parse("10.1.0.9/24")))
        .hasMessage("Error: ipv4: Address not found.");
  }

  /**
   * {@code ip route add 10.9.0.0/16 via 10.2.0.1} with no route to 10.2.0.1: {@code Error: Nexthop
   * has invalid gateway.}; via an on-link gateway it works and a second add says {@code RTNETLINK
   * answers: File exists}; {@code ip route get} then answers {@code 10.9.1.1 via 10.1.0.5 dev va
   * src 10.1.0.1}; for 8.8.8.8 {@code RTNETLINK answers: Network is unreachable}; deleting an
   * absent route {@code RTNETLINK answers: No such process}.
   */
  @Test
  void routesNeedAnOnLinkGatewayAndAreFoundByLongestPrefix() {
    a.addVeth("va", "vb", Optional.of(b));
    addr(a, "va", "10.1.0.1/24");
    a.setUp("va", true);
    var r = RouteRequest.to("10.9.0.0/16");
    assertThatThrownBy(() -> a.routing().addRoute(r.via(IpAddress.parse("10.2.0.1"))))
        .isInstanceOfSatisfying(
            KernelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENETUNREACH))
        .hasMessage("Error: Nexthop has invalid gateway.");
    a.routing().addRoute(r.via(IpAddress.parse("10.1.0.5")));
    assertThatThrownBy(() -> a.routing().addRoute(r.via(IpAddress.parse("10.1.0.5"))))
        .hasMessage("RTNETLINK answers: File exists");
    assertThat(a.routing().routeGet(IpAddress.parse("10.9.1.1")))
        .hasToString("10.9.1.1 via 10.1.0.5 dev va src 10.1.0.1");
    assertThatThrownBy(() -> a.routing().routeGet(IpAddress.parse("8.8.8.8")))
        .hasMessage("RTNETLINK answers: Network is unreachable");
    assertThatThrownBy(() -> a.routing().deleteRoute(RouteRequest.to("10.8.0.0/16")))
        .hasMessage("RTNETLINK answers: No such process");
    assertThatThrownBy(() -> a.setUp("nosuch", true)).hasMessage("Cannot find device \"nosuch\"");
    assertThatThrownBy(() -> a.addDummy("va")).hasMessage("RTNETLINK answers: File exists");
  }

  /**
   * Sysctls of a new namespace: ip_forward 0, rp_filter 0, bridge-nf-call-iptables 1, port range
   * 32768-60999.
   */
  @Test
  void aNewNamespaceHasLinuxDefaults() {
    var s = a.sysctls();
    assertThat(s.get("net.ipv4.ip_forward")).isEqualTo("0");
    assertThat(s.get("net.ipv4.conf.all.rp_filter")).isEqualTo("0");
    assertThat(s.get("net.ipv4.conf.lo.route_localnet")).isEqualTo("0");
    assertThat(s.get("net.bridge.bridge-nf-call-iptables")).isEqualTo("1");
    assertThat(s.get("net.ipv4.ip_local_port_range")).isEqualTo("32768\t60999");
    assertThat(s.get("net.netfilter.nf_conntrack_max")).isEqualTo("262144");
    a.addVeth("flannel.1", "x", Optional.of(b));
    assertThat(s.get("net.ipv4.conf.flannel/1.rp_filter")).isEqualTo("0");
    s.set("net/ipv4/ip_forward", "1");
    assertThat(s.get("net.ipv4.conf.flannel/1.forwarding")).isEqualTo("1");
    assertThatThrownBy(() -> s.get("net.ipv4.nosuch"))
        .hasMessage("sysctl: cannot stat /proc/sys/net/ipv4/nosuch: No such file or directory");
  }

  /**
   * On 6.18: a veth up with carrier gets {@code fe80::a4bc:5cff:feb3:33ec/64 scope link} from its
   * MAC a6:bc:5c:b3:33:ec (EUI-64); {@code ip link set down} removes every IPv6 address, the manual
   * {@code fd00:9::2/64} too, and the device keeps {@code qdisc noqueue}; up again, only the
   * link-local comes back.
   */
  @Test
  void ipv6LinkLocalComesWithCarrierAndIpv6AddressesGoWithDown() {
    var v = a.addVeth("va", "vb", Optional.of(b));
    b.setUp("vb", true);
    a.setUp("va", true);
    var ll = Routing.linkLocal(v);
    assertThat(a.routing().addresses("va")).extracting(x -> x.address()).containsExactly(ll);
    assertThat(ll.toString()).startsWith("fe80::");
    addr(a, "va", "fd00:9::2/64");
    a.setUp("va", false);
    assertThat(a.routing().addresses("va")).isEmpty();
    assertThat(v.qdisc()).isEqualTo("noqueue");
    a.setUp("va", true);
    assertThat(a.routing().addresses("va")).extracting(x -> x.address()).containsExactly(ll);
  }

  /**
   * On 6.18: a bridge up without ports gets its link-local from its own random MAC; when a port
   * joins, the bridge takes the port's MAC but keeps that one link-local address (addrconf
   * configures a device once per up, not on an address change); once the last port has left, its
   * MAC is all zeros.
   */
  @Test
  void aBridgeKeepsItsFirstLinkLocalWhenItsAddressFollowsAPort() {
    var br = a.addBridge("brx");
    a.setUp("brx", true);
    var first = Routing.linkLocal(br);
    var v = a.addVeth("p1", "p2", Optional.empty());
    a.setUp("p2", true);
    a.setMaster("p1", "brx");
    a.setUp("p1", true);
    assertThat(br.mac()).isEqualTo(v.mac());
    assertThat(a.routing().addresses("brx")).extracting(x -> x.address()).containsExactly(first);
    a.setNoMaster("p1");
    assertThat(br.mac()).isEqualTo(dev.podpath.kernel.link.MacAddress.ZERO);
  }

  /**
   * {@code ip link add va type veth peer name vb} numbers the peer first (vb 2, va 3 in a fresh
   * namespace); a bridge whose last port left has no carrier.
   */
  @Test
  void vethPeersAreNumberedFirstAndAnEmptiedBridgeLosesCarrier() {
    var v = a.addVeth("va", "vb", Optional.empty());
    assertThat(v.peer().ifindex()).isLessThan(v.ifindex());
    var br = a.addBridge("br0");
    a.setUp("br0", true);
    assertThat(br.operState()).isEqualTo(OperState.UNKNOWN);
    a.setMaster("vb", "br0");
    a.setNoMaster("vb");
    assertThat(br.carrier()).isFalse();
    assertThat(br.flags()).contains("NO-CARRIER");
  }
}
