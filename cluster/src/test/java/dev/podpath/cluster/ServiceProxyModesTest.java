package dev.podpath.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.podpath.kernel.route.RouteRequest;
import dev.podpath.kernel.walk.Attempt;
import dev.podpath.kernel.walk.ProbeResult;
import dev.podpath.kube.shape.ProxyMode;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Services end to end in a running cluster, in both kube-proxy modes: from pods and from machines
 * on the nodes' network, to ClusterIPs, NodePorts, externalIPs and LoadBalancer IPs, with exact
 * shares when explored.
 */
class ServiceProxyModesTest {

  private static final int WEB = 80;

  /** Every backend took exactly a third of the explored connections. */
  private static void spreadOverThreeBackends(ProbeResult r) {
    assertThat(r.all(Fate.DELIVERED)).as("%s", r.last().forward()).isTrue();
    assertThat(r.answered()).isTrue();
    assertThat(r.shares()).hasSize(3);
    r.shares().values().forEach(s -> assertThat(s).isCloseTo(1.0 / 3, within(1e-9)));
  }

  private static Set<String> chains(ProbeResult r) {
    var out = new TreeSet<String>();
    r.attempts().forEach(a -> out.addAll(a.chains()));
    return out;
  }

  private static void proxiedTheModesWay(ProxyMode mode, ProbeResult r) {
    if (mode == ProxyMode.IPVS) {
      assertThat(r.attempts())
          .as("every connection was scheduled by IPVS")
          .allMatch(
              a ->
                  a.forward().hops().stream()
                      .flatMap(h -> h.steps().stream())
                      .anyMatch(s -> s instanceof Step.Ipvs));
      assertThat(chains(r)).noneMatch(c -> c.contains("SVC-"));
    } else {
      assertThat(chains(r)).anyMatch(c -> c.startsWith("nat/KUBE-SVC-"));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ProxyMode.class,
      names = {"IPTABLES", "IPVS"})
  void aClusterIpSpreadsAPodsConnectionsEvenlyOverItsEndpoints(ProxyMode mode) {
    var w = new ServiceWorld(mode);
    w.proxies.proxies().forEach(p -> assertThat(p.errors()).as(p.name()).isEmpty());
    var r = w.explore(w.client(), w.clusterIp("web"), WEB);
    spreadOverThreeBackends(r);
    proxiedTheModesWay(mode, r);
    for (Attempt a : r.attempts()) {
      assertThat(a.delivery().orElseThrow().peerAddress()).hasToString("10.244.1.2");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ProxyMode.class,
      names = {"IPTABLES", "IPVS"})
  void aNodePortAnswersOnEveryNodesAddressMasqueradedToThatNode(ProxyMode mode) {
    var w = new ServiceWorld(mode);
    for (NodeNetwork node : w.cluster.network().nodes()) {
      var r = w.explore(w.laptop.root(), node.address(), 30080);
      spreadOverThreeBackends(r);
      proxiedTheModesWay(mode, r);
      var cni0 = node.podCidr().network().plus(1);
      for (Attempt a : r.attempts()) {
        assertThat(a.delivery().orElseThrow().peerAddress())
            .as("%s: the node's address, or its cni0 address for a local backend", node.name())
            .isIn(node.address(), cni0);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ProxyMode.class,
      names = {"IPTABLES", "IPVS"})
  void anExternalIpRoutedToANodeReachesTheEndpoints(ProxyMode mode) {
    var w = new ServiceWorld(mode);
    var ext = IpAddress.parse("203.0.113.10");
    w.laptop
        .root()
        .routing()
        .addRoute(RouteRequest.to(IpPrefix.host(ext)).via(w.node("worker2").address()));
    var r = w.explore(w.laptop.root(), ext, WEB);
    spreadOverThreeBackends(r);
    proxiedTheModesWay(mode, r);
  }

  @ParameterizedTest
  @EnumSource(
      value = ProxyMode.class,
      names = {"IPTABLES", "IPVS"})
  void aLoadBalancerIpIsReachedFromOutsideAndFromPods(ProxyMode mode) {
    var w = new ServiceWorld(mode);
    var lb = w.loadBalancerIp("web-lb");
    assertThat(lb).hasToString("172.18.255.200");
    var fromOutside = w.explore(w.laptop.root(), lb, WEB);
    spreadOverThreeBackends(fromOutside);
    proxiedTheModesWay(mode, fromOutside);
    assertThat(chains(fromOutside))
        .contains(mode == ProxyMode.IPVS ? "nat/KUBE-LOAD-BALANCER" : "nat/KUBE-SERVICES");
    var fromPod = w.explore(w.client(), lb, WEB);
    spreadOverThreeBackends(fromPod);
    proxiedTheModesWay(mode, fromPod);
    var wrongPort = w.once(w.laptop.root(), lb, 8080);
    assertThat(wrongPort.all(Fate.DELIVERED)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(
      value = ProxyMode.class,
      names = {"IPTABLES", "IPVS"})
  void loadBalancerSourceRangesLetOnlyTheirSourcesIn(ProxyMode mode) {
    var w = new ServiceWorld(mode);
    var lb = w.loadBalancerIp("web-fw");
    var allowed = w.explore(w.laptop.root(), lb, WEB);
    spreadOverThreeBackends(allowed);
    for (var from : List.of(w.other.root(), w.client())) {
      var denied = w.explore(from, lb, WEB);
      assertThat(denied.all(Fate.DROPPED)).as("%s", denied.last().forward()).isTrue();
      assertThat(chains(denied))
          .contains(
              mode == ProxyMode.IPVS
                  ? "filter/KUBE-SOURCE-RANGES-FIREWALL"
                  : "filter/KUBE-PROXY-FIREWALL");
      if (mode == ProxyMode.IPTABLES) {
        assertThat(chains(denied)).anyMatch(c -> c.startsWith("nat/KUBE-FW-"));
      }
    }
  }
}
