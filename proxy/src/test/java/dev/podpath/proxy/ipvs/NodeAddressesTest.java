package dev.podpath.proxy.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.proxy.NodeInfo;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeAddressesTest {

  /** A node with a NIC, a bridge, a v4 link-local address, loopback and a kube-ipvs0 address. */
  private static final List<NodeInfo.InterfaceAddress> NODE =
      List.of(
          at("lo", "127.0.0.1/8"),
          at("lo", "::1/128"),
          at("eth0", "192.168.0.2/24"),
          at("eth0", "fd00::2/64"),
          at("eth0", "fe80::1/64"),
          at("cni0", "10.244.1.1/24"),
          at("eth1", "169.254.3.3/16"),
          at("kube-ipvs0", "10.96.0.20/32"),
          at("kube-ipvs0", "192.168.0.2/32"));

  private static NodeInfo.InterfaceAddress at(String device, String prefix) {
    return new NodeInfo.InterfaceAddress(device, IpPrefix.parse(prefix));
  }

  @ParameterizedTest(name = "{0} nodePortAddresses [{1}]: local {2}, NodePorts on {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        // every address but kube-ipvs0's and loopback; an address also on kube-ipvs0 stays
        "IPV4 | | 10.244.1.1 169.254.3.3 192.168.0.2 | 10.244.1.1 169.254.3.3 192.168.0.2",
        // IPv6: link-local excluded as well
        "IPV6 | | fd00::2 | fd00::2",
        // CIDRs: every interface's address inside them (kube-ipvs0's too), loopback never
        "IPV4 | 192.168.0.0/16 | 10.244.1.1 169.254.3.3 192.168.0.2 | 192.168.0.2",
        "IPV4 | 10.0.0.0/8 127.0.0.0/8 | 10.244.1.1 169.254.3.3 192.168.0.2 | 10.96.0.20 10.244.1.1",
        "IPV6 | fe80::/10 | fd00::2 | fe80::1",
        // a CIDR no address is in: no NodePort virtual servers at all
        "IPV4 | 203.0.113.0/24 | 10.244.1.1 169.254.3.3 192.168.0.2 | ",
      })
  void nodeAddressesAreReadAsUpstreamReadsThem(
      IpFamily family, String cidrs, String local, String nodePorts) {
    var got = NodeAddresses.of(NODE, family, words(cidrs).stream().map(IpPrefix::parse).toList());
    assertThat(got.local()).extracting(IpAddress::toString).containsExactlyElementsOf(words(local));
    assertThat(got.nodePortIps())
        .extracting(IpAddress::toString)
        .containsExactlyElementsOf(words(nodePorts));
  }

  private static List<String> words(String s) {
    return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split(" +"));
  }
}
