package dev.podpath.proxy.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Protocol;
import dev.podpath.proxy.ChangeTracker;
import dev.podpath.proxy.NodeInfo;
import dev.podpath.proxy.config.KubeProxyConfigurationReader;
import dev.podpath.proxy.iptables.FakeIptables;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpvsProxierTest {

  private final NodeInfo node =
      new NodeInfo(
          "node-1",
          List.of(IpAddress.parse("192.168.0.2")),
          List.of(
              new NodeInfo.InterfaceAddress("lo", IpPrefix.parse("127.0.0.1/8")),
              new NodeInfo.InterfaceAddress("eth0", IpPrefix.parse("192.168.0.2/24"))),
          List.of(IpPrefix.parse("10.244.1.0/24")));
  private final ChangeTracker tracker = new ChangeTracker(IpFamily.IPV4, "node-1");
  private final FakeIpvsKernel kernel = FakeIpvsKernel.of(node);
  private final FakeIptables iptables = new FakeIptables(IpFamily.IPV4, true);

  private IpvsProxier proxier(String scheduler) {
    var config =
        KubeProxyConfigurationReader.parse(
            """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        mode: ipvs
        clusterCIDR: 10.244.0.0/16
        ipvs: {scheduler: %s}
        """
                .formatted(scheduler));
    return new IpvsProxier(IpvsOptions.of(config, node, IpFamily.IPV4), tracker, kernel, iptables);
  }

  private static Service web(String affinity) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName("web")
        .endMetadata()
        .withNewSpec()
        .withType("NodePort")
        .withClusterIP("10.96.0.20")
        .withSessionAffinity(affinity)
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(80)
        .withNodePort(30080)
        .endPort()
        .endSpec()
        .build();
  }

  private static EndpointSlice slice(String... ips) {
    var b =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withNamespace("default")
            .withName("web-1")
            .addToLabels("kubernetes.io/service-name", "web")
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withName("http")
            .withProtocol("TCP")
            .withPort(8080)
            .endPort();
    for (String ip : ips) {
      b.addNewEndpoint()
          .withAddresses(ip)
          .withNodeName(ip.startsWith("10.244.1.") ? "node-1" : "n2")
          .endEndpoint();
    }
    return b.build();
  }

  @Test
  void aNodePortServiceGetsVirtualServersOnItsClusterIpAndEveryNodeAddress() {
    var p = proxier("");
    tracker.onService(web("None"));
    tracker.onEndpointSlice(slice("10.244.1.5", "10.244.2.7"));
    var r = p.sync();
    assertThat(r.iptablesSucceeded()).as(r.error()).isTrue();
    assertThat(IpvsadmText.save(r.plan().services()))
        .isEqualTo(
            """
        -A -t 10.96.0.20:80 -s rr
        -a -t 10.96.0.20:80 -r 10.244.1.5:8080 -m -w 1
        -a -t 10.96.0.20:80 -r 10.244.2.7:8080 -m -w 1
        -A -t 192.168.0.2:30080 -s rr
        -a -t 192.168.0.2:30080 -r 10.244.1.5:8080 -m -w 1
        -a -t 192.168.0.2:30080 -r 10.244.2.7:8080 -m -w 1
        """);
    assertThat(kernel.addresses("kube-ipvs0")).containsExactly(IpAddress.parse("10.96.0.20"));
    assertThat(kernel.ipsets().get("KUBE-CLUSTER-IP").entries())
        .containsExactly("10.96.0.20,tcp:80");
    assertThat(kernel.ipsets().get("KUBE-NODE-PORT-TCP").entries()).containsExactly("30080");
    assertThat(kernel.ipsets().get("KUBE-LOOP-BACK").entries())
        .containsExactly("10.244.1.5,tcp:8080,10.244.1.5");
    assertThat(iptables.rules("nat", "KUBE-SERVICES"))
        .contains(
            "-m comment --comment \"Kubernetes service cluster ip + port for masquerade purpose\" "
                + "-m set --match-set KUBE-CLUSTER-IP dst,dst ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ");
    assertThat(iptables.rules("nat", "PREROUTING"))
        .containsExactly("-m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES");
  }

  @Test
  void clientIpAffinityIsPersistenceAndTheSchedulerIsConfigurable() {
    var p = proxier("wlc");
    tracker.onService(web("ClientIP"));
    tracker.onEndpointSlice(slice("10.244.1.5"));
    var text = IpvsadmText.list(p.sync().plan().services());
    assertThat(text)
        .contains("TCP  10.96.0.20:80 wlc persistent 10800\n")
        .contains("  -> 10.244.1.5:8080              Masq    1      0          0         \n");
  }

  @Test
  void aRemovedRealServerWithConnectionsDrainsAtWeightZeroUntilIdle() {
    var p = proxier("");
    tracker.onService(web("None"));
    tracker.onEndpointSlice(slice("10.244.1.5", "10.244.2.7"));
    p.sync();
    var key = new VirtualServer.Key(Protocol.TCP, IpAddress.parse("10.96.0.20"), 80);
    kernel.setConnections(key, "10.244.2.7:8080", 3);
    tracker.onEndpointSlice(slice("10.244.1.5"));
    p.sync();
    assertThat(kernel.realServers(key))
        .containsExactly(
            new RealServer(IpAddress.parse("10.244.1.5"), 8080, 1),
            new RealServer(IpAddress.parse("10.244.2.7"), 8080, 0));
    assertThat(p.reapTerminated()).isEmpty();
    kernel.setConnections(key, "10.244.2.7:8080", 0);
    assertThat(p.reapTerminated()).hasSize(1);
    assertThat(kernel.realServers(key))
        .containsExactly(new RealServer(IpAddress.parse("10.244.1.5"), 8080, 1));
  }

  @Test
  void aDeletedServiceLosesItsVirtualServersAndItsAddress() {
    var p = proxier("");
    tracker.onService(web("None"));
    p.sync();
    tracker.onServiceDeleted("default", "web");
    p.sync();
    assertThat(kernel.virtualServers()).isEmpty();
    assertThat(kernel.addresses("kube-ipvs0")).isEmpty();
  }

  @Test
  void nodePortsAreServedOnEveryLocalAddressReadFromTheKernelAtEachSync() {
    var p = proxier("");
    kernel.bindAddress(IpAddress.parse("10.244.1.1"), "cni0");
    tracker.onService(web("None"));
    tracker.onEndpointSlice(slice("10.244.1.5"));
    var text = IpvsadmText.save(p.sync().plan().services());
    assertThat(text)
        .contains("-A -t 10.244.1.1:30080 -s rr\n")
        .contains("-A -t 192.168.0.2:30080 -s rr\n")
        .doesNotContain("127.0.0.1:30080");
    // an address added later (a new interface) gets its virtual server at the next sync
    kernel.bindAddress(IpAddress.parse("172.17.0.1"), "docker0");
    p.sync();
    assertThat(kernel.virtualServers().keySet())
        .extracting(k -> k.address() + ":" + k.port())
        .containsExactly(
            "10.96.0.20:80", "10.244.1.1:30080", "172.17.0.1:30080", "192.168.0.2:30080");
    // and an address that went away loses it
    kernel.unbindAddress(IpAddress.parse("172.17.0.1"), "docker0");
    p.sync();
    assertThat(kernel.virtualServers().keySet())
        .extracting(k -> k.address() + ":" + k.port())
        .containsExactly("10.96.0.20:80", "10.244.1.1:30080", "192.168.0.2:30080");
  }

  @ParameterizedTest(name = "nodePortAddresses {0} -> NodePorts on {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[10.244.0.0/16] | 10.244.1.1",
        "[primary] | 192.168.0.2",
        "['192.168.0.0/24', '10.0.0.0/8'] | 10.244.1.1 192.168.0.2",
      })
  void nodePortAddressesLimitTheAddressesNodePortsAreServedOn(String npa, String want) {
    var config =
        KubeProxyConfigurationReader.parse(
            """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        mode: ipvs
        clusterCIDR: 10.244.0.0/16
        nodePortAddresses: %s
        """
                .formatted(npa));
    kernel.bindAddress(IpAddress.parse("10.244.1.1"), "cni0");
    var p = new IpvsProxier(IpvsOptions.of(config, node, IpFamily.IPV4), tracker, kernel, iptables);
    tracker.onService(web("None"));
    p.sync();
    assertThat(kernel.virtualServers().keySet())
        .filteredOn(k -> k.port() == 30080)
        .extracting(k -> k.address().toString())
        .containsExactly(want.split(" "));
  }
}
