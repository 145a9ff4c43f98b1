package dev.podpath.cluster;

import dev.podpath.kernel.Host;
import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.kernel.walk.ProbeRequest;
import dev.podpath.kernel.walk.ProbeResult;
import dev.podpath.kernel.walk.Prober;
import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.kube.shape.ProxyMode;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.node.kubelet.PodSandboxes;
import dev.podpath.proxy.config.KubeProxyConfiguration;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Optional;

/**
 * A three-node cluster (kind's default shape) in one kube-proxy mode, with the load-balancer agent,
 * three {@code web} replicas behind a ClusterIP, a NodePort, two LoadBalancers (one limited to the
 * laptop by {@code loadBalancerSourceRanges}) and an externalIP Service, a {@code client} pod on
 * {@code worker}, and two machines on the nodes' network: {@code laptop} (172.18.0.100) and {@code
 * other} (172.18.0.101).
 */
final class ServiceWorld {

  static final String MANIFESTS =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: default}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: nginx, image: nginx, ports: [{containerPort: 80, name: http}]}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: default}
      spec:
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: http}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web-np, namespace: default}
      spec:
        type: NodePort
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: http, nodePort: 30080}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web-lb, namespace: default}
      spec:
        type: LoadBalancer
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: http, nodePort: 30081}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web-fw, namespace: default}
      spec:
        type: LoadBalancer
        selector: {app: web}
        loadBalancerSourceRanges: [172.18.0.100/32]
        ports: [{name: http, port: 80, targetPort: http, nodePort: 30082}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web-ext, namespace: default}
      spec:
        selector: {app: web}
        externalIPs: [203.0.113.10]
        ports: [{name: http, port: 80, targetPort: http}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: client, namespace: default}
      spec:
        nodeName: worker
        containers: [{name: curl, image: curl}]
      """;

  final World world = new World();
  final KubeProxyAgent proxies;
  final LoadBalancerAgent loadBalancers = new LoadBalancerAgent();
  final Cluster cluster;
  final Host laptop;
  final Host other;

  ServiceWorld(ProxyMode mode) {
    this(mode, Optional.empty());
  }

  /** With kube-proxy configured by {@code config} (its mode must be {@code mode}). */
  ServiceWorld(ProxyMode mode, Optional<KubeProxyConfiguration> config) {
    var d = ClusterShape.defaults();
    var shape =
        new ClusterShape(
            d.name(),
            d.nodes(),
            d.clusterCidrs(),
            d.nodeCidrMaskSize(),
            d.serviceCidrs(),
            d.clusterDomain(),
            mode,
            d.cniMode());
    proxies = new KubeProxyAgent(config.orElseGet(() -> KubeProxyAgent.configuration(shape)));
    cluster = Cluster.start(world, shape, List.of(proxies, loadBalancers));
    cluster.controlPlane().apply(ManifestReader.parse("web.yaml", MANIFESTS));
    laptop = lanHost("laptop", "172.18.0.100");
    other = lanHost("other", "172.18.0.101");
  }

  private Host lanHost(String name, String address) {
    return world.addHost(
        name,
        List.of(new World.NicSpec("eth0", IpPrefix.parse(address + "/16"))),
        Optional.empty());
  }

  Service service(String name) {
    return cluster.controlPlane().get(Service.class, "default", name).orElseThrow();
  }

  IpAddress clusterIp(String name) {
    return IpAddress.parse(service(name).getSpec().getClusterIP());
  }

  /** The service's first load-balancer ingress IP. */
  IpAddress loadBalancerIp(String name) {
    return IpAddress.parse(service(name).getStatus().getLoadBalancer().getIngress().get(0).getIp());
  }

  List<Pod> webPods() {
    return cluster
        .controlPlane()
        .list(Pod.class, "default", LabelSelectors.parse("app=web"), FieldSelector.everything());
  }

  NetNamespace podNamespace(Pod pod) {
    return world
        .host(pod.getSpec().getNodeName())
        .namespace(PodSandboxes.netnsName("default", pod.getMetadata().getName()));
  }

  NetNamespace client() {
    return world.host("worker").namespace(PodSandboxes.netnsName("default", "client"));
  }

  ProbeResult explore(NetNamespace from, IpAddress to, int port) {
    return new Prober(world).probe(ProbeRequest.tcp(from, to, port).exploring());
  }

  ProbeResult once(NetNamespace from, IpAddress to, int port) {
    return new Prober(world).probe(ProbeRequest.tcp(from, to, port));
  }

  NodeNetwork node(String name) {
    return cluster.network().node(name).orElseThrow();
  }
}
