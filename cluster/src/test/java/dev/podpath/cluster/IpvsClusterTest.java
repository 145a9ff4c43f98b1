package dev.podpath.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.ipvs.Destination;
import dev.podpath.kernel.walk.Attempt;
import dev.podpath.kernel.walk.ProbeRequest;
import dev.podpath.kernel.walk.Prober;
import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.shape.ProxyMode;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import dev.podpath.proxy.config.KubeProxyConfigurationReader;
import dev.podpath.shell.ipvsadm.IpvsadmTool;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kube-proxy's IPVS mode on every node of a cluster: what it programs (IPVS services, {@code
 * kube-ipvs0}, ipsets), hairpin masquerading through {@code KUBE-LOOP-BACK}, and graceful
 * termination of removed real servers.
 */
class IpvsClusterTest {

  private final ServiceWorld w = new ServiceWorld(ProxyMode.IPVS);

  private List<Destination> realServers(String node, IpAddress vip, int port) {
    return w.node(node).host().root().ipvs().services().stream()
        .filter(s -> s.key().toString().contains(vip + ":" + port))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no virtual service " + vip + ":" + port))
        .destinations();
  }

  @Test
  void everyNodeHasTheVirtualServicesTheServiceAddressesAndTheIpsets() {
    var vip = w.clusterIp("web");
    for (NodeNetwork node : w.cluster.network().nodes()) {
      var root = node.host().root();
      var onOtherInterfaces =
          root.routing().addresses().stream()
              .filter(a -> !a.device().equals("kube-ipvs0"))
              .map(a -> a.address().toString())
              .toList();
      var onDummy =
          root.routing().addresses("kube-ipvs0").stream().map(a -> a.address().toString()).toList();
      assertThat(onDummy).contains(vip.toString(), "203.0.113.10");
      for (String lb : List.of("172.18.255.200", "172.18.255.201")) {
        // as upstream: an address already on another interface (the node announcing the LB IP
        // holds it on its NIC) is not bound to kube-ipvs0 too
        assertThat(onDummy.contains(lb))
            .as(node.name() + " " + lb)
            .isNotEqualTo(onOtherInterfaces.contains(lb));
      }
      var ipvsadm = IpvsadmTool.run(root, List.of("ipvsadm", "-Ln"), Optional.empty());
      assertThat(ipvsadm.stdout())
          .contains("TCP  " + vip + ":80 rr\n")
          .contains("TCP  " + node.address() + ":30080 rr\n")
          .contains("TCP  172.18.255.200:80 rr\n");
      assertThat(realServers(node.name(), vip, 80)).hasSize(3);
      var sets = root.netfilter().ipSets();
      assertThat(sets.list("KUBE-LOAD-BALANCER-SOURCE-CIDR").orElseThrow().save())
          .contains("add KUBE-LOAD-BALANCER-SOURCE-CIDR 172.18.255.201,tcp:80,172.18.0.100\n");
      var loopBack = sets.list("KUBE-LOOP-BACK").orElseThrow();
      assertThat(loopBack.spec().type()).hasToString("hash:ip,port,ip");
      var local =
          w.webPods().stream()
              .filter(p -> p.getSpec().getNodeName().equals(node.name()))
              .map(p -> p.getStatus().getPodIP())
              .map(ip -> ip + ",tcp:80," + ip)
              .sorted()
              .toList();
      assertThat(loopBack.members()).extracting(Object::toString).containsExactlyElementsOf(local);
    }
  }

  @Test
  void nodePortsAreServedOnEveryAddressOfTheNodeOutsideKubeIpvs0() {
    for (NodeNetwork node : w.cluster.network().nodes()) {
      var root = node.host().root();
      var own =
          root.routing().addresses().stream()
              .filter(a -> !a.device().equals("kube-ipvs0") && !a.address().isLoopback())
              .filter(a -> a.family() == IpFamily.IPV4)
              .map(a -> a.address().toString())
              .sorted()
              .toList();
      assertThat(own).as("a NIC and the cni0 bridge").hasSizeGreaterThanOrEqualTo(2);
      var nodePorts =
          root.ipvs().services().stream()
              .map(s -> s.key().toString())
              .filter(k -> k.endsWith(":30080"))
              .toList();
      assertThat(nodePorts)
          .as(node.name())
          .containsExactlyInAnyOrderElementsOf(
              own.stream().map(ip -> "TCP  " + ip + ":30080").toList());
    }
  }

  @Test
  void aPodReachingItselfThroughItsServiceIsMasqueradedByKubeLoopBack() {
    Pod self =
        w.webPods().stream()
            .filter(p -> p.getSpec().getNodeName().equals("worker"))
            .findFirst()
            .orElseThrow();
    var r = w.explore(w.podNamespace(self), w.clusterIp("web"), 80);
    assertThat(r.all(Fate.DELIVERED)).isTrue();
    var cni0 = w.node("worker").podCidr().network().plus(1);
    var own = IpAddress.parse(self.getStatus().getPodIP());
    int hairpins = 0;
    for (Attempt a : r.attempts()) {
      var d = a.delivery().orElseThrow();
      boolean toItself = d.localAddress().equals(own);
      assertThat(d.peerAddress()).isEqualTo(toItself ? cni0 : own);
      boolean loopBackRule =
          a.forward().hops().stream()
              .flatMap(h -> h.steps().stream())
              .anyMatch(
                  s -> s instanceof Step.Rule rule && rule.ruleText().contains("KUBE-LOOP-BACK"));
      assertThat(loopBackRule).isEqualTo(toItself);
      hairpins += toItself ? 1 : 0;
    }
    assertThat(hairpins).isEqualTo(1);
  }

  @Test
  void aRemovedRealServerWithAConnectionKeepsWeightZeroUntilTheConnectionEnds() {
    var vip = w.clusterIp("web");
    var r = w.once(w.client(), vip, 80);
    assertThat(r.all(Fate.DELIVERED)).isTrue();
    var backend = r.last().delivery().orElseThrow().localAddress();
    Pod pod =
        w.webPods().stream()
            .filter(p -> p.getStatus().getPodIP().equals(backend.toString()))
            .findFirst()
            .orElseThrow();

    w.cluster.controlPlane().delete(Kind.POD, "default", pod.getMetadata().getName(), 0L);

    var onWorker =
        realServers("worker", vip, 80).stream()
            .filter(d -> d.address().equals(backend))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the drained real server went at once"));
    assertThat(onWorker.weight()).isZero();
    assertThat(onWorker.activeConns()).isEqualTo(1);
    var workerProxy =
        w.proxies.proxies().stream().filter(p -> p.name().equals("kube-proxy/worker")).findFirst();
    assertThat(workerProxy.orElseThrow().terminating()).hasSize(1);
    assertThat(realServers("worker2", vip, 80))
        .as("no connection through worker2: deleted at once")
        .noneMatch(d -> d.address().equals(backend));
    var fresh =
        new Prober(w.world)
            .probe(ProbeRequest.tcp(w.client(), vip, 80).sport(40001).exploring()); // a new port
    assertThat(fresh.all(Fate.DELIVERED)).as("%s", fresh.attempts()).isTrue();
    assertThat(fresh.attempts())
        .as("a drained real server takes no new connection")
        .noneMatch(a -> a.delivery().orElseThrow().localAddress().equals(backend));

    w.cluster.controlPlane().advance(Duration.ofMinutes(10));
    assertThat(realServers("worker", vip, 80)).anyMatch(d -> d.address().equals(backend));
    w.cluster.controlPlane().advance(Duration.ofMinutes(6));
    assertThat(realServers("worker", vip, 80)).noneMatch(d -> d.address().equals(backend));
    assertThat(workerProxy.orElseThrow().terminating()).isEmpty();
  }

  /**
   * A LoadBalancer with {@code externalTrafficPolicy: Local} is announced from a node with an
   * endpoint. With {@code ipvs.strictARP} (which MetalLB and kube-vip ask for in IPVS mode) only
   * that node answers ARP for the IP and the client's address reaches the pod; without it every
   * node answers for the addresses on its {@code kube-ipvs0}, the first node on the wire takes the
   * connection, forwards it unmasqueraded to the pod on another node, and the pod's answer goes
   * back by another path, un-NATed: the client never gets it.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void localLoadBalancersNeedStrictArpInIpvsMode(boolean strictArp) {
    var config =
        KubeProxyConfigurationReader.parse(
            """
            apiVersion: kubeproxy.config.k8s.io/v1alpha1
            kind: KubeProxyConfiguration
            mode: ipvs
            clusterCIDR: 10.244.0.0/16
            ipvs: {strictARP: %s}
            """
                .formatted(strictArp));
    var local = new ServiceWorld(ProxyMode.IPVS, Optional.of(config));
    local
        .cluster
        .controlPlane()
        .apply(
            ManifestReader.parse(
                "local.yaml",
                """
                apiVersion: v1
                kind: Service
                metadata: {name: local-lb, namespace: default}
                spec:
                  type: LoadBalancer
                  externalTrafficPolicy: Local
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: http}]
                """));
    var r = local.explore(local.laptop.root(), local.loadBalancerIp("local-lb"), 80);
    assertThat(r.all(Fate.DELIVERED)).isTrue();
    assertThat(r.attempts())
        .allMatch(a -> a.delivery().orElseThrow().peerAddress().toString().equals("172.18.0.100"));
    assertThat(r.answered()).isEqualTo(strictArp);
    assertThat(
            local.node("control-plane").host().root().sysctls().get("net.ipv4.conf.all.arp_ignore"))
        .isEqualTo(strictArp ? "1" : "0");
  }
}
