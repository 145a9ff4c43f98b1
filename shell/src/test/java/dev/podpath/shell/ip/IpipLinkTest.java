package dev.podpath.shell.ip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.shell.ToolResult;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ip link add NAME type ipip …} and how iproute2 shows ipip devices. The kernel on our
 * machines has no ipip (CONFIG_NET_IPIP is off), so this is not a recorded golden: the output
 * follows iproute2's link_iptnl.c ({@code iptunnel_print_opt}) and print_linktype (the device
 * address is the local endpoint, {@code peer} the remote one on a point-to-point tunnel), and the
 * kernel's ipip.c and ip_tunnel.c (MTU 1480, {@code NOARP}, maximum MTU 65535 less the 20-byte
 * header, the fallback {@code tunl0} that loading the module makes, with protocol 0 printed as
 * {@code any} and path MTU discovery off).
 */
class IpipLinkTest {

  private NetNamespace root;

  @BeforeEach
  void host() {
    root = new World().addHost("host").root();
  }

  private ToolResult ip(String command) {
    return IpTool.run(root, List.of(command.split(" ")));
  }

  @Test
  void theFirstTunnelLoadsTheModuleWhichAddsTheFallbackTunl0() {
    assertThat(ip("ip link add t1 type ipip local 192.168.0.1 remote 192.168.0.2").exitCode())
        .isZero();
    assertThat(ip("ip link show tunl0").stdout())
        .isEqualTo(
            "2: tunl0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default"
                + " qlen 1000\n    link/ipip 0.0.0.0 brd 0.0.0.0\n");
    assertThat(ip("ip -d link show t1").stdout())
        .isEqualTo(
            "3: t1@NONE: <POINTOPOINT,NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group"
                + " default qlen 1000\n"
                + "    link/ipip 192.168.0.1 peer 192.168.0.2 promiscuity 0  allmulti 0 minmtu 68"
                + " maxmtu 65515 \n"
                + "    ipip ipip remote 192.168.0.2 local 192.168.0.1 ttl inherit pmtudisc"
                + " addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 \n");
  }

  @Test
  void theFallbackDeviceShowsAnyEndpointsAndNoPathMtuDiscovery() {
    ip("ip link add t1 type ipip remote 10.0.0.2 ttl 64");
    ip("ip link set tunl0 up");
    assertThat(ip("ip -d link show tunl0").stdout())
        .isEqualTo(
            "2: tunl0@NONE: <NOARP,UP,LOWER_UP> mtu 1480 qdisc noqueue state UNKNOWN mode"
                + " DEFAULT group default qlen 1000\n"
                + "    link/ipip 0.0.0.0 brd 0.0.0.0 promiscuity 0  allmulti 0 minmtu 68 maxmtu"
                + " 65515 \n"
                + "    ipip any remote any local any ttl inherit nopmtudisc addrgenmode eui64"
                + " numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 \n");
    assertThat(ip("ip -d link show t1").stdout())
        .contains("link/ipip 0.0.0.0 peer 10.0.0.2")
        .contains("ipip ipip remote 10.0.0.2 local any ttl 64 pmtudisc");
  }

  /** rtnl_newlink loads the module, then looks the name up again: tunl0 now exists. */
  @Test
  void addingTunl0AnswersFileExistsAndLeavesTheFallbackDevice() {
    ToolResult r = ip("ip link add tunl0 type ipip");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).isEqualTo("RTNETLINK answers: File exists\n");
    assertThat(ip("ip -br link show tunl0").stdout()).startsWith("tunl0@NONE ");
  }

  @Test
  void badArgumentsAreRefusedWithIproute2sWords() {
    assertThat(ip("ip link add t1 type ipip remote fd00::1").stderr())
        .isEqualTo("Error: an inet address is expected rather than \"fd00::1\".\n");
    assertThat(ip("ip link add t1 type ipip ttl 64 nopmtudisc").stderr())
        .isEqualTo("ttl != 0 and nopmtudisc are incompatible\n");
    assertThat(ip("ip link add t1 type ipip key 5").exitCode()).isNotZero(); // no keys on ipip
    assertThat(ip("ip link show tunl0").exitCode()).as("nothing was created").isNotZero();
  }
}
