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
}
