package dev.podpath.proxy.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.embedded.EmbeddedWorld;
import dev.podpath.kernel.walk.Attempt;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Fate;
import dev.podpath.proxy.ChangeTracker;
import dev.podpath.proxy.NodeInfo;
import dev.podpath.proxy.config.KubeProxyConfigurationReader;
import dev.podpath.proxy.iptables.KernelIptables;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * IPVS mode end to end in the emulated kernel: kube-proxy programs the node's IPVS table, {@code
 * kube-ipvs0}, ipsets and iptables, and probes to the cluster IP and the NodePort reach both
 * endpoints through IPVS.
 */
class IpvsKernelWalkTest {

  @Test
  void clusterIpAndNodePortReachBothEndpointsThroughIpvs() {
    var world = new EmbeddedWorld();
    world.lanHost("node-1", "eth0=192.168.0.2/24");
    world.lanHost("client", "eth0=192.168.0.100/24");
    world.route("client", "default via 192.168.0.2");
    world.lanHost("backends", "eth0=192.168.0.200/24");
    world.route("backends", "default via 192.168.0.2");
    world.sysctl("node-1", "net.ipv4.ip_forward", "1");
    for (String ip : List.of("10.244.2.7", "10.244.3.9")) {
      world.addr("backends", "lo", ip + "/32");
      world.route("node-1", ip + " via 192.168.0.200");
    }
    world.listen("backends", "tcp", 8080);
    var node = world.ns("node-1");
    var config =
        KubeProxyConfigurationReader.parse(
            """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        mode: ipvs
        clusterCIDR: 10.244.0.0/16
        """);
    var info =
        new NodeInfo(
            "node-1",
            List.of(IpAddress.parse("192.168.0.2")),
            List.of(new NodeInfo.InterfaceAddress("eth0", IpPrefix.parse("192.168.0.2/24"))),
            List.of());
    var tracker = new ChangeTracker(IpFamily.IPV4, "node-1");
    var kernel = new KernelIpvs(node);
    var proxier =
        new IpvsProxier(
            IpvsOptions.of(config, info, IpFamily.IPV4),
            tracker,
            kernel,
            new KernelIptables(node.netfilter(), IpFamily.IPV4));
    tracker.onService(
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace("default")
            .withName("web")
            .endMetadata()
            .withNewSpec()
            .withType("NodePort")
            .withClusterIP("10.96.0.20")
            .addNewPort()
            .withName("http")
            .withProtocol("TCP")
            .withPort(80)
            .withNodePort(30080)
            .endPort()
            .endSpec()
            .build());
    var slice =
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
    slice.addNewEndpoint().withAddresses("10.244.2.7").withNodeName("node-2").endEndpoint();
    slice.addNewEndpoint().withAddresses("10.244.3.9").withNodeName("node-3").endEndpoint();
    tracker.onEndpointSlice(slice.build());

    var r = proxier.sync();
    assertThat(r.iptablesSucceeded()).as(r.error()).isTrue();
    assertThat(kernel.addresses("kube-ipvs0")).containsExactly(IpAddress.parse("10.96.0.20"));
    assertThat(node.ipvs().services()).hasSize(2);

    for (var to : List.of("10.96.0.20:80", "192.168.0.2:30080")) {
      var req = world.request(Protocol.TCP, "client", to).exploring();
      var result = world.prober().probe(req);
      assertThat(result.attempts()).allMatch(a -> a.fate() == Fate.DELIVERED);
      assertThat(
              result.attempts().stream()
                  .map(a -> a.delivery().orElseThrow().local())
                  .collect(Collectors.toSet()))
          .as(to)
          .containsExactlyInAnyOrder("10.244.2.7:8080", "10.244.3.9:8080");
      assertThat(result.attempts().stream().mapToDouble(Attempt::probability).sum())
          .isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    }
    assertThat(node.netfilter().ipSets().list("KUBE-LOOP-BACK").orElseThrow().spec().type())
        .hasToString("hash:ip,port,ip");
    assertThat(
            node.netfilter()
                .ipSets()
                .list("KUBE-LOAD-BALANCER-SOURCE-CIDR")
                .orElseThrow()
                .spec()
                .type())
        .hasToString("hash:ip,port,net");
  }
}
