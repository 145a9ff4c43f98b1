package dev.podpath.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.shape.ProxyMode;
import dev.podpath.net.IpAddress;
import dev.podpath.net.trace.Fate;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cluster's load-balancer agent: ingress IPs from the pool on the nodes' network, written to
 * the Service's status, announced from the first node's {@code eth0}, given back when the Service
 * stops being a LoadBalancer.
 */
class LoadBalancerAgentTest {

  private final ServiceWorld w = new ServiceWorld(ProxyMode.IPTABLES);

  private List<String> announced() {
    return w.node("control-plane").host().root().routing().addresses("eth0").stream()
        .map(a -> a.address().toString())
        .toList();
  }

  private void apply(String yaml) {
    w.cluster.controlPlane().apply(ManifestReader.parse("svc.yaml", yaml));
  }

  @Test
  void loadBalancersGetPoolAddressesInTheirStatusAnnouncedFromTheFirstNode() {
    assertThat(w.loadBalancerIp("web-lb")).hasToString("172.18.255.200");
    assertThat(w.loadBalancerIp("web-fw")).hasToString("172.18.255.201");
    assertThat(w.service("web-lb").getStatus().getLoadBalancer().getIngress().get(0).getIpMode())
        .isEqualTo("VIP");
    assertThat(announced()).contains("172.18.0.2", "172.18.255.200", "172.18.255.201");
    assertThat(w.node("worker").host().root().routing().addresses("eth0"))
        .extracting(a -> a.address().toString())
        .noneMatch(a -> a.startsWith("172.18.255."));
    assertThat(w.loadBalancers.allocated())
        .containsEntry("default/web-lb", IpAddress.parse("172.18.255.200"));
  }

  @Test
  void aServiceThatStopsBeingALoadBalancerGivesItsAddressBack() {
    var lb = w.loadBalancerIp("web-lb");
    apply(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web-lb, namespace: default}
        spec:
          type: ClusterIP
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: http}]
        """);
    Service s = w.service("web-lb");
    assertThat(s.getStatus().getLoadBalancer().getIngress()).isEmpty();
    assertThat(announced()).doesNotContain("172.18.255.200").contains("172.18.255.201");
    assertThat(w.explore(w.laptop.root(), lb, 80).all(Fate.DELIVERED)).isFalse();

    apply(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: other-lb, namespace: default}
        spec:
          type: LoadBalancer
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: http}]
        """);
    assertThat(w.loadBalancerIp("other-lb")).as("the lowest free address").isEqualTo(lb);
    assertThat(w.explore(w.laptop.root(), lb, 80).all(Fate.DELIVERED)).isTrue();
  }

  @Test
  void aRequestedAddressIsHonouredAndAnotherClassIsLeftAlone() {
    apply(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: fixed, namespace: default}
        spec:
          type: LoadBalancer
          loadBalancerIP: 172.18.255.240
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: http}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: elsewhere, namespace: default}
        spec:
          type: LoadBalancer
          loadBalancerClass: example.com/other
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: http}]
        """);
    assertThat(w.loadBalancerIp("fixed")).hasToString("172.18.255.240");
    assertThat(w.explore(w.laptop.root(), w.loadBalancerIp("fixed"), 80).all(Fate.DELIVERED))
        .isTrue();
    var status = w.service("elsewhere").getStatus();
    assertThat(
            status == null
                || status.getLoadBalancer() == null
                || status.getLoadBalancer().getIngress() == null
                || status.getLoadBalancer().getIngress().isEmpty())
        .isTrue();
  }

  @Test
  void deletingTheServiceReleasesItsAddress() {
    w.cluster.controlPlane().delete(dev.podpath.kube.model.Kind.SERVICE, "default", "web-fw", null);
    assertThat(announced()).doesNotContain("172.18.255.201");
    assertThat(w.loadBalancers.allocated()).doesNotContainKey("default/web-fw");
  }

  @Test
  void aLocalPolicyServiceIsAnnouncedFromANodeWithAnEndpointAndKeepsTheClientAddress() {
    apply(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: local-lb, namespace: default}
        spec:
          type: LoadBalancer
          externalTrafficPolicy: Local
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: http}]
        """);
    var lb = w.loadBalancerIp("local-lb");
    String node =
        w.webPods().stream().map(p -> p.getSpec().getNodeName()).sorted().findFirst().orElseThrow();
    assertThat(w.node(node).host().root().routing().addresses("eth0"))
        .extracting(a -> a.address())
        .contains(lb);
    assertThat(announced()).doesNotContain(lb.toString());
    var r = w.explore(w.laptop.root(), lb, 80);
    assertThat(r.all(Fate.DELIVERED)).isTrue();
    assertThat(r.attempts())
        .allMatch(a -> a.delivery().orElseThrow().peerAddress().toString().equals("172.18.0.100"))
        .allMatch(a -> a.delivery().orElseThrow().host().equals(node));
  }
}
