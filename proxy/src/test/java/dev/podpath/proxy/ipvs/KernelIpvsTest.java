package dev.podpath.proxy.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.World;
import dev.podpath.kernel.ipset.Element;
import dev.podpath.kernel.ipvs.Ipvs;
import dev.podpath.net.IpFamily;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kube-proxy's ipset entries, as it writes them, become the kernel's set members. */
class KernelIpvsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "HASH_IP          | 10.96.0.1                         | 10.96.0.1",
        "HASH_IP_PORT     | 10.96.0.1,tcp:443                 | 10.96.0.1,tcp:443",
        "HASH_IP_PORT     | fd00::1,udp:53                    | fd00::1,udp:53",
        "HASH_IP_PORT_IP  | 10.244.1.5,tcp:8080,10.244.1.5    | 10.244.1.5,tcp:8080,10.244.1.5",
        "HASH_IP_PORT_IP  | fd00::5,sctp:80,fd00::5           | fd00::5,sctp:80,fd00::5",
        "HASH_IP_PORT_NET | 172.18.255.1,tcp:80,10.0.0.0/8    | 172.18.255.1,tcp:80,10.0.0.0/8",
        "HASH_IP_PORT_NET | 172.18.255.1,tcp:80,10.9.7.1/23   | 172.18.255.1,tcp:80,10.9.6.0/23",
        "HASH_IP_PORT_NET | 172.18.255.1,udp:80,192.0.2.7     | 172.18.255.1,udp:80,192.0.2.7",
        "BITMAP_PORT      | 30080                             | 30080",
      })
  void entriesParseToTheMembersIpsetWouldList(IpSetType type, String entry, String member) {
    Element e = KernelIpvs.element(type, entry);
    assertThat(e.type().ipsetName()).isEqualTo(type.toString());
    assertThat(e).hasToString(member);
  }

  @Test
  void restoringReplacesTheMembersOfEverySet() {
    var ns = new World().addHost("node-1").root();
    var kernel = new KernelIpvs(ns);
    kernel.restoreIpsets(
        List.of(
            new IpSet(
                "KUBE-LOOP-BACK",
                IpSetType.HASH_IP_PORT_IP,
                IpFamily.IPV4,
                "",
                new TreeSet<>(
                    List.of("10.244.1.5,tcp:80,10.244.1.5", "10.244.1.6,tcp:80,10.244.1.6")))));
    kernel.restoreIpsets(
        List.of(
            new IpSet(
                "KUBE-LOOP-BACK",
                IpSetType.HASH_IP_PORT_IP,
                IpFamily.IPV4,
                "",
                new TreeSet<>(List.of("10.244.1.6,tcp:80,10.244.1.6")))));
    assertThat(ns.netfilter().ipSets().list("KUBE-LOOP-BACK").orElseThrow().members())
        .extracting(Object::toString)
        .containsExactly("10.244.1.6,tcp:80,10.244.1.6");
  }

  /** As {@code ipvsadm --set}: a zero keeps the kernel's value. */
  @Test
  void configuredTimeoutsReachTheKernelAndZeroKeepsItsValue() {
    var ns = new World().addHost("node-1").root();
    var kernel = new KernelIpvs(ns);
    kernel.configureTimeouts(Duration.ofSeconds(7200), Duration.ZERO, Duration.ofSeconds(30));
    assertThat(ns.ipvs().timeouts())
        .isEqualTo(
            new Ipvs.Timeouts(
                Duration.ofSeconds(7200), Duration.ofSeconds(120), Duration.ofSeconds(30)));
  }

  /** A proxier configured with ipvs.tcpTimeout & co. sets them once, as upstream's NewProxier. */
  @Test
  void kubeProxyAppliesItsIpvsTimeoutsOnlyWhenOneIsSet() {
    for (var c :
        List.of(
            List.of("ipvs: {scheduler: rr}", "[]"),
            List.of("ipvs: {tcpTimeout: 2h, udpTimeout: 10s}", "[[PT2H, PT0S, PT10S]]"))) {
      var config =
          dev.podpath.proxy.config.KubeProxyConfigurationReader.parse(
              "apiVersion: kubeproxy.config.k8s.io/v1alpha1\n"
                  + "kind: KubeProxyConfiguration\nmode: ipvs\n"
                  + c.get(0)
                  + "\n");
      var node = new dev.podpath.proxy.NodeInfo("node-1", List.of(), List.of(), List.of());
      var fake = new FakeIpvsKernel();
      new IpvsProxier(
          IpvsOptions.of(config, node, IpFamily.IPV4),
          new dev.podpath.proxy.ChangeTracker(IpFamily.IPV4, "node-1"),
          fake,
          new dev.podpath.proxy.iptables.FakeIptables(IpFamily.IPV4, true));
      assertThat(fake.timeoutCalls()).as(c.get(0)).hasToString(c.get(1));
    }
  }
}
