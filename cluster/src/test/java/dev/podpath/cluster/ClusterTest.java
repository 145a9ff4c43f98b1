package dev.podpath.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.World;
import dev.podpath.kernel.socket.Listener;
import dev.podpath.kernel.walk.ProbeRequest;
import dev.podpath.kernel.walk.Prober;
import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Fate;
import dev.podpath.node.kubelet.PodSandboxes;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterTest {

  static final String WEB =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: default}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]
      """;

  @Test
  void deploymentPodsRunOnTheWorkersWithAddressesFromTheirNodesPodCidr() {
    var world = new World();
    var cluster = Cluster.start(world, ClusterShape.defaults(), List.of());
    var cp = cluster.controlPlane();
    cp.apply(ManifestReader.parse("web.yaml", WEB));

    List<Pod> pods =
        cp.list(Pod.class, "default", Selector.everything(), FieldSelector.everything());
    assertThat(pods).hasSize(2);
    for (Pod p : pods) {
      assertThat(p.getStatus().getPhase()).isEqualTo("Running");
      Node node = cp.get(Node.class, "", p.getSpec().getNodeName()).orElseThrow();
      assertThat(
              IpPrefix.parse(node.getSpec().getPodCIDR())
                  .contains(IpAddress.parse(p.getStatus().getPodIP())))
          .as("%s on %s", p.getStatus().getPodIP(), node.getSpec().getPodCIDR())
          .isTrue();
      assertThat(p.getSpec().getNodeName()).isNotEqualTo("control-plane");
    }
    assertThat(cluster.agentFailures()).isEmpty();

    // the two replicas talk to each other through the node network
    Pod a = pods.get(0);
    Pod b = pods.get(1);
    var bNs =
        world
            .host(b.getSpec().getNodeName())
            .namespace(PodSandboxes.netnsName("default", b.getMetadata().getName()));
    bNs.sockets().bind(new Listener(Protocol.TCP, Ipv4Address.ANY, 80, "nginx"));
    var aNs =
        world
            .host(a.getSpec().getNodeName())
            .namespace(PodSandboxes.netnsName("default", a.getMetadata().getName()));
    var r =
        new Prober(world)
            .probe(ProbeRequest.tcp(aNs, IpAddress.parse(b.getStatus().getPodIP()), 80));
    assertThat(r.all(Fate.DELIVERED)).as("%s", r.last().forward()).isTrue();
  }

  static final String SERVICE =
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: default}
      spec:
        selector: {app: web}
        ports: [{port: 80, targetPort: 80}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: client, namespace: default}
      spec:
        nodeName: worker
        containers: [{name: curl, image: curl}]
      """;

  @Test
  void aServiceVipSpreadsConnectionsOverItsEndpointsThroughKubeProxysRules() {
    var world = new World();
    var config = dev.podpath.proxy.config.KubeProxyConfiguration.defaults();
    config =
        new dev.podpath.proxy.config.KubeProxyConfiguration(
            config.mode(),
            config.hostnameOverride(),
            List.of("10.244.0.0/16"),
            config.detectLocalMode(),
            config.bridgeInterface(),
            config.interfaceNamePrefix(),
            config.masqueradeAll(),
            config.masqueradeBit(),
            config.localhostNodePorts(),
            config.syncPeriod(),
            config.minSyncPeriod(),
            config.nodePortAddresses(),
            config.tcpBeLiberal(),
            config.ipvsScheduler(),
            config.ipvsStrictArp(),
            config.ipvsExcludeCidrs(),
            config.ipvsTcpTimeout(),
            config.ipvsTcpFinTimeout(),
            config.ipvsUdpTimeout(),
            config.featureGates());
    var proxies = new KubeProxyAgent(config);
    var cluster = Cluster.start(world, ClusterShape.defaults(), List.of(proxies));
    var cp = cluster.controlPlane();
    cp.apply(ManifestReader.parse("web.yaml", WEB));
    cp.apply(ManifestReader.parse("svc.yaml", SERVICE));
    var svc = cp.get(io.fabric8.kubernetes.api.model.Service.class, "default", "web").orElseThrow();
    var vip = IpAddress.parse(svc.getSpec().getClusterIP());
    for (var p : proxies.proxies()) {
      assertThat(p.errors()).isEmpty();
    }

    var client = world.host("worker").namespace(PodSandboxes.netnsName("default", "client"));
    var r = new Prober(world).probe(ProbeRequest.tcp(client, vip, 80).exploring());
    assertThat(r.all(Fate.DELIVERED)).as("%s", r.last().forward()).isTrue();
    assertThat(r.shares()).hasSize(2);
    r.shares()
        .values()
        .forEach(
            share ->
                assertThat(share).isCloseTo(0.5, org.assertj.core.api.Assertions.within(1e-9)));
    assertThat(r.last().chains()).contains("nat/KUBE-SERVICES");
  }
}
