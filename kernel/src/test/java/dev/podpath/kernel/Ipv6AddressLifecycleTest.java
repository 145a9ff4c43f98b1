package dev.podpath.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.embedded.EmbeddedWorld;
import org.junit.jupiter.api.Test;

/**
 * IPv6 addresses follow NETDEV_DOWN: bringing a device down flushes them (keep_addr_on_down=0), but
 * an address added while the device is down stays when it comes up — also when the event that wakes
 * it is its veth peer coming up first (seen on 6.18: `ip -6 addr add` on a down veth, `ip link set
 * up` on both ends, the address is there).
 */
class Ipv6AddressLifecycleTest {

  @Test
  void anAddressAddedWhileDownSurvivesBothEndsComingUp() {
    var w = new EmbeddedWorld();
    w.netns("n/pod");
    w.veth("n/pod", "eth0", "fd00:10::5/128", "n", "vpod0", "fd00:ffff::1/128");
    assertThat(w.ns("n").routing().addresses("vpod0"))
        .extracting(a -> a.prefix().toString())
        .contains("fd00:ffff::1/128");
    assertThat(w.ns("n/pod").routing().addresses("eth0"))
        .extracting(a -> a.prefix().toString())
        .contains("fd00:10::5/128");
  }

  @Test
  void goingDownFlushesEveryIpv6Address() {
    var w = new EmbeddedWorld();
    w.netns("n/pod");
    w.veth("n/pod", "eth0", "fd00:10::5/128", "n", "vpod0", "fd00:ffff::1/128");
    w.ns("n").setUp("vpod0", false);
    assertThat(w.ns("n").routing().addresses("vpod0")).isEmpty();
  }

  private static java.util.List<String> linkLocals(NetNamespace ns, String device) {
    return ns.routing().addresses(device).stream()
        .map(a -> a.prefix().toString())
        .filter(p -> p.startsWith("fe80::"))
        .toList();
  }

  /**
   * Seen on 6.18: a veth end moved to another namespace arrives down without addresses; brought up
   * there it gets the EUI-64 link-local of its MAC, and moved back and brought up again it gets the
   * same address again (the device keeps its MAC and, when free, its index).
   */
  @Test
  void aDeviceMovedAwayAndBackGetsItsLinkLocalEachTimeItComesUp() {
    var w = new EmbeddedWorld();
    w.netns("a");
    w.netns("b");
    var a = w.ns("a");
    var b = w.ns("b");
    a.addVeth("v0", "v1", java.util.Optional.empty());
    a.setUp("v0", true);
    a.setUp("v1", true);
    var first = linkLocals(a, "v0");
    assertThat(first).hasSize(1);

    a.moveLink("v0", b);
    assertThat(linkLocals(b, "v0")).isEmpty();
    b.setUp("v0", true);
    assertThat(linkLocals(b, "v0")).isEqualTo(first);

    b.moveLink("v0", a);
    assertThat(linkLocals(a, "v0")).isEmpty();
    a.setUp("v0", true);
    assertThat(linkLocals(a, "v0")).isEqualTo(first);
  }

  /**
   * A device that arrives with the index of a deleted one is a new device to addrconf: it gets its
   * own link-local when it comes up (Linux keeps addrconf state in the device, not by index).
   */
  @Test
  void aDeviceTakingTheIndexOfADeletedOneGetsItsLinkLocal() {
    var w = new EmbeddedWorld();
    w.netns("a");
    w.netns("b");
    var a = w.ns("a");
    var b = w.ns("b");
    a.addVeth("v0", "v1", java.util.Optional.empty());
    a.setUp("v1", true);
    int index = a.link("v0").ifindex();
    while (b.links().stream().noneMatch(l -> l.ifindex() == index)) {
      b.addDummy("d" + b.links().size());
    }
    var taken = b.linkByIndex(index).orElseThrow().name();
    b.setUp(taken, true);
    assertThat(linkLocals(b, taken)).hasSize(1);
    b.deleteLink(taken);

    a.moveLink("v0", b);
    assertThat(b.link("v0").ifindex()).isEqualTo(index);
    b.setUp("v0", true);
    assertThat(linkLocals(b, "v0")).hasSize(1);
  }
}
