package dev.podpath.kernel.ipset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * ip sets, as checked with ipset v7.17 on Linux 6.18 in a namespace: {@code create nf-ip hash:ip
 * timeout 60; add nf-ip 10.0.0.2; add nf-ip 10.0.0.1 timeout 10} listed {@code 10.0.0.2 timeout 60}
 * and {@code 10.0.0.1 timeout 9}; re-adding failed with "Element cannot be added to the set: it's
 * already added" unless {@code -exist}; {@code test nf-net 10.9.9.9} with 10.0.0.0/8 in the
 * hash:net set said it is in; deleting an absent element, destroying a missing set, creating an
 * existing one and destroying a set a rule uses failed with the messages below.
 */
class IpSetsTest {

  private final VirtualClock clock = new VirtualClock();
  private final IpSets sets = new IpSets(clock);

  private static IpAddress ip(String s) {
    return IpAddress.parse(s);
  }

  @Test
  void hashIpWithTimeoutsListsTheSecondsLeft() {
    sets.create(SetSpec.hash("nf-ip", SetType.HASH_IP, IpFamily.IPV4).withTimeout(60), false);
    sets.add("nf-ip", new Element.Ip(ip("10.0.0.2")), Optional.empty(), false);
    sets.add("nf-ip", new Element.Ip(ip("10.0.0.1")), Optional.of(10L), false);
    clock.advance(Duration.ofMillis(500));
    var l = sets.list("nf-ip").orElseThrow();
    assertThat(l.spec().header())
        .matches(
            "family inet hashsize 1024 maxelem 65536 timeout 60 bucketsize 12 initval 0x\\p{XDigit}{8}");
    assertThat(l.members())
        .extracting(Object::toString)
        .containsExactly("10.0.0.1 timeout 9", "10.0.0.2 timeout 59");
    clock.advance(Duration.ofSeconds(10));
    assertThat(sets.list("nf-ip").orElseThrow().members()).hasSize(1);
  }

  @Test
  void errorsAreIpsetsAndChangeNothing() {
    sets.create(SetSpec.hash("nf-net", SetType.HASH_NET, IpFamily.IPV4), false);
    sets.add("nf-net", new Element.Net(IpPrefix.parse("10.0.0.0/8")), Optional.empty(), false);
    assertThatThrownBy(
            () ->
                sets.add(
                    "nf-net",
                    new Element.Net(IpPrefix.parse("10.0.0.0/8")),
                    Optional.empty(),
                    false))
        .isInstanceOf(IpSetException.class)
        .hasMessage("Element cannot be added to the set: it's already added");
    sets.add("nf-net", new Element.Net(IpPrefix.parse("10.0.0.0/8")), Optional.empty(), true);
    assertThatThrownBy(
            () -> sets.delete("nf-net", new Element.Net(IpPrefix.parse("11.0.0.0/8")), false))
        .hasMessage("Element cannot be deleted from the set: it's not added");
    assertThatThrownBy(() -> sets.destroy("nf-zz"))
        .hasMessage("The set with the given name does not exist");
    assertThatThrownBy(
            () -> sets.create(SetSpec.hash("nf-net", SetType.HASH_NET, IpFamily.IPV4), false))
        .hasMessage("Set cannot be created: set with the same name already exists");
    sets.setReferences(java.util.Map.of("nf-net", 1));
    assertThatThrownBy(() -> sets.destroy("nf-net"))
        .hasMessage("Set cannot be destroyed: it is in use by a kernel component");
    assertThat(sets.list("nf-net").orElseThrow().members()).hasSize(1);
  }

  @Test
  void hashNetHoldsEveryAddressOfItsNetworks() {
    sets.create(SetSpec.hash("nf-net", SetType.HASH_NET, IpFamily.IPV4), false);
    sets.add("nf-net", new Element.Net(IpPrefix.parse("10.0.0.0/8")), Optional.empty(), false);
    sets.add("nf-net", new Element.Net(IpPrefix.parse("10.1.2.3/32")), Optional.empty(), false);
    assertThat(sets.test("nf-net", new Element.Net(IpPrefix.parse("10.9.9.9/32")))).isTrue();
    assertThat(sets.test("nf-net", new Element.Net(IpPrefix.parse("11.0.0.1/32")))).isFalse();
    assertThat(sets.list("nf-net").orElseThrow().members())
        .extracting(Object::toString)
        .containsExactly("10.0.0.0/8", "10.1.2.3");
  }

  @Test
  void packetsAreLookedUpByTheDirectionsOfTheMatch() {
    sets.create(SetSpec.hash("svc", SetType.HASH_IP_PORT, IpFamily.IPV4), false);
    sets.add(
        "svc", new Element.IpPort(ip("10.96.0.10"), Protocol.UDP, 53), Optional.empty(), false);
    sets.add(
        "svc", new Element.IpPort(ip("10.96.0.10"), Protocol.TCP, 80), Optional.empty(), false);
    assertThat(sets.list("svc").orElseThrow().members())
        .extracting(Object::toString)
        .containsExactly("10.96.0.10,tcp:80", "10.96.0.10,udp:53");
    Packet dns = Packet.udp(ip("10.0.0.1"), 4000, ip("10.96.0.10"), 53);
    assertThat(sets.matches("svc", dns, List.of(false, false))).isTrue();
    assertThat(sets.matches("svc", dns, List.of(false, true))).isFalse();
    assertThat(
            sets.matches(
                "svc",
                Packet.tcpSyn(ip("10.0.0.1"), 4000, ip("10.96.0.10"), 53),
                List.of(false, false)))
        .isFalse();
    sets.create(SetSpec.hash("nets", SetType.HASH_NET_PORT, IpFamily.IPV4), false);
    sets.add(
        "nets",
        new Element.NetPort(IpPrefix.parse("10.0.0.0/24"), Protocol.UDP, 53),
        Optional.empty(),
        false);
    assertThat(
            sets.matches(
                "nets", Packet.udp(ip("10.0.0.9"), 53, ip("1.1.1.1"), 53), List.of(true, false)))
        .isTrue();
  }

  @Test
  void bitmapPortChecksItsRange() {
    sets.create(SetSpec.bitmapPort("nf-bp", new PortRange(1, 1024)), false);
    sets.add("nf-bp", new Element.Port(80), Optional.empty(), false);
    assertThat(sets.list("nf-bp").orElseThrow().spec().header()).isEqualTo("range 1-1024");
    assertThatThrownBy(() -> sets.add("nf-bp", new Element.Port(8080), Optional.empty(), false))
        .hasMessage("Element is out of the range of the set");
    assertThat(
            sets.matches(
                "nf-bp", Packet.tcpSyn(ip("1.1.1.1"), 5000, ip("2.2.2.2"), 80), List.of(false)))
        .isTrue();
  }

  @Test
  void swapExchangesContentsAndSnapshotsRestore() {
    sets.create(SetSpec.hash("a", SetType.HASH_IP, IpFamily.IPV4), false);
    sets.create(SetSpec.hash("b", SetType.HASH_IP, IpFamily.IPV4), false);
    sets.add("a", new Element.Ip(ip("1.1.1.1")), Optional.empty(), false);
    var snap = sets.snapshot();
    sets.swap("a", "b");
    assertThat(sets.test("b", new Element.Ip(ip("1.1.1.1")))).isTrue();
    assertThat(sets.test("a", new Element.Ip(ip("1.1.1.1")))).isFalse();
    sets.restore(snap);
    assertThat(sets.test("a", new Element.Ip(ip("1.1.1.1")))).isTrue();
  }

  /**
   * hash:ip,port,ip as ipset v7.17 showed it: {@code add LB 10.244.1.5,8080,10.244.1.5} (tcp by
   * default) duplicates {@code 10.244.1.5,tcp:8080,10.244.1.5}; {@code test LB
   * 10.244.1.5,tcp:8080,10.244.1.6} is not in the set; {@code ipset save -sorted} orders by the
   * first address, then tcp before udp before sctp, then the port, then the second address.
   */
  @Test
  void hashIpPortIpHoldsExactTriples() {
    sets.create(SetSpec.hash("LB", SetType.HASH_IP_PORT_IP, IpFamily.IPV4), false);
    for (var e :
        List.of(
            new Element.IpPortIp(ip("10.1.1.1"), Protocol.UDP, 80, ip("10.0.0.9")),
            new Element.IpPortIp(ip("10.1.1.1"), Protocol.TCP, 80, ip("10.0.0.10")),
            new Element.IpPortIp(ip("10.1.1.1"), Protocol.TCP, 80, ip("10.0.0.9")),
            new Element.IpPortIp(ip("10.1.1.1"), Protocol.TCP, 79, ip("10.0.0.10")))) {
      sets.add("LB", e, Optional.empty(), false);
    }
    var dup = new Element.IpPortIp(ip("10.1.1.1"), Protocol.TCP, 80, ip("10.0.0.9"));
    assertThatThrownBy(() -> sets.add("LB", dup, Optional.empty(), false))
        .hasMessage("Element cannot be added to the set: it's already added");
    assertThat(sets.test("LB", dup)).isTrue();
    assertThat(
            sets.test(
                "LB", new Element.IpPortIp(ip("10.1.1.1"), Protocol.TCP, 80, ip("10.0.0.11"))))
        .isFalse();
    assertThat(sets.list("LB").orElseThrow().save())
        .matches(
            """
            create LB hash:ip,port,ip family inet hashsize 1024 maxelem 65536 bucketsize 12 \
            initval 0x\\p{XDigit}{8}
            add LB 10.1.1.1,tcp:79,10.0.0.10
            add LB 10.1.1.1,tcp:80,10.0.0.9
            add LB 10.1.1.1,tcp:80,10.0.0.10
            add LB 10.1.1.1,udp:80,10.0.0.9
            """);
    assertThatThrownBy(() -> new Element.IpPortIp(ip("10.1.1.1"), Protocol.TCP, 80, ip("fd00::1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * hash:ip,port,net as ipset v7.17 showed it: nets are masked ({@code 10.9.7.0/23} is stored as
   * {@code 10.9.6.0/23}), a /32 prints bare, /0 is refused ("The value of the CIDR parameter of the
   * IP address is invalid"), {@code test SRC 172.18.255.1,tcp:80,192.168.3.4} is in the set through
   * 192.168.0.0/16 but not with port 81 or source 192.169.3.4, and {@code -sorted} puts the more
   * specific of two nets at one address first.
   */
  @Test
  void hashIpPortNetHoldsEveryAddressOfItsNets() {
    sets.create(SetSpec.hash("SRC", SetType.HASH_IP_PORT_NET, IpFamily.IPV4), false);
    for (String net :
        List.of("192.168.0.0/16", "10.1.2.3/32", "10.9.7.0/23", "10.0.0.0/8", "10.0.0.0/24")) {
      sets.add(
          "SRC",
          new Element.IpPortNet(ip("172.18.255.1"), Protocol.TCP, 80, IpPrefix.parse(net)),
          Optional.empty(),
          false);
    }
    assertThat(sets.list("SRC").orElseThrow().members())
        .extracting(Object::toString)
        .containsExactly(
            "172.18.255.1,tcp:80,10.0.0.0/24",
            "172.18.255.1,tcp:80,10.0.0.0/8",
            "172.18.255.1,tcp:80,10.1.2.3",
            "172.18.255.1,tcp:80,10.9.6.0/23",
            "172.18.255.1,tcp:80,192.168.0.0/16");
    assertThat(
            sets.test(
                "SRC",
                new Element.IpPortNet(
                    ip("172.18.255.1"), Protocol.TCP, 80, IpPrefix.parse("192.168.3.4/32"))))
        .isTrue();
    assertThat(
            sets.test(
                "SRC",
                new Element.IpPortNet(
                    ip("172.18.255.1"), Protocol.TCP, 81, IpPrefix.parse("192.168.3.4/32"))))
        .isFalse();
    assertThat(
            sets.test(
                "SRC",
                new Element.IpPortNet(
                    ip("172.18.255.1"), Protocol.TCP, 80, IpPrefix.parse("192.169.3.4/32"))))
        .isFalse();
    assertThatThrownBy(
            () ->
                sets.add(
                    "SRC",
                    new Element.IpPortNet(
                        ip("172.18.255.1"), Protocol.TCP, 80, IpPrefix.parse("10.0.0.0/0")),
                    Optional.empty(),
                    false))
        .hasMessage("The value of the CIDR parameter of the IP address is invalid");
  }

  /**
   * {@code -m set --match-set NAME dst,dst,src} on Linux 6.18: with {@code LBS} (hash:ip,port,net
   * holding 10.99.0.2,tcp:80,10.99.0.0/28) and {@code LBI} (hash:ip,port,ip holding
   * 10.99.0.3,tcp:80,10.99.0.1), a SYN from 10.99.0.1 to 10.99.0.2:80 matched {@code LBS
   * dst,dst,src} and {@code LBS dst,dst,dst}, but not {@code LBS dst,dst} (fewer directions than
   * the set's dimensions never match); one to 10.99.0.3:80 matched {@code LBI dst,dst,src} and
   * {@code dst,dst,src,src} (extra directions are ignored), not {@code dst,src,src}.
   */
  @Test
  void threeDimensionalSetsTakeOneFieldPerDirection() {
    sets.create(SetSpec.hash("LBS", SetType.HASH_IP_PORT_NET, IpFamily.IPV4), false);
    sets.add(
        "LBS",
        new Element.IpPortNet(ip("10.99.0.2"), Protocol.TCP, 80, IpPrefix.parse("10.99.0.0/28")),
        Optional.empty(),
        false);
    sets.create(SetSpec.hash("LBI", SetType.HASH_IP_PORT_IP, IpFamily.IPV4), false);
    sets.add(
        "LBI",
        new Element.IpPortIp(ip("10.99.0.3"), Protocol.TCP, 80, ip("10.99.0.1")),
        Optional.empty(),
        false);
    Packet toLbs = Packet.tcpSyn(ip("10.99.0.1"), 40000, ip("10.99.0.2"), 80);
    Packet toLbi = Packet.tcpSyn(ip("10.99.0.1"), 40000, ip("10.99.0.3"), 80);
    boolean s = true;
    boolean d = false;
    assertThat(sets.matches("LBS", toLbs, List.of(d, d, s))).isTrue();
    assertThat(sets.matches("LBS", toLbs, List.of(d, d, d))).isTrue();
    assertThat(sets.matches("LBS", toLbs, List.of(d, d))).isFalse();
    assertThat(sets.matches("LBS", toLbi, List.of(d, d, s))).isFalse();
    assertThat(sets.matches("LBI", toLbi, List.of(d, d, s))).isTrue();
    assertThat(sets.matches("LBI", toLbi, List.of(d, d, s, s))).isTrue();
    assertThat(sets.matches("LBI", toLbi, List.of(d, s, s))).isFalse();
    assertThat(sets.matches("LBI", toLbs, List.of(d, d, s))).isFalse();
  }
}
