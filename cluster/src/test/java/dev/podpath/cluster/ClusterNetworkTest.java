package dev.podpath.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.World;
import dev.podpath.kernel.socket.Listener;
import dev.podpath.kernel.walk.ProbeRequest;
import dev.podpath.kernel.walk.Prober;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.kube.shape.CniMode;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClusterNetworkTest {

  static ClusterShape shape(CniMode mode) {
    var d = ClusterShape.defaults();
    return new ClusterShape(
        d.name(),
        d.nodes(),
        d.clusterCidrs(),
        d.nodeCidrMaskSize(),
        d.serviceCidrs(),
        d.clusterDomain(),
        d.proxyMode(),
        mode);
  }

  @ParameterizedTest(name = "{0}: a pod reaches a pod on another node, seen with its own address")
  @EnumSource(CniMode.class)
  void podsOnDifferentNodesReachEachOther(CniMode mode) throws Exception {
    var world = new World();
    var net =
        ClusterNetwork.build(
            world,
            shape(mode),
            Map.of(
                "control-plane", IpPrefix.parse("10.244.0.0/24"),
                "worker", IpPrefix.parse("10.244.1.0/24"),
                "worker2", IpPrefix.parse("10.244.2.0/24")),
            (ns, rules, noflush) -> Optional.empty());
    var a =
        net.node("worker")
            .orElseThrow()
            .sandboxes()
            .start(
                new PodBuilder()
                    .withNewMetadata()
                    .withNamespace("d")
                    .withName("a")
                    .endMetadata()
                    .build());
    var b =
        net.node("worker2")
            .orElseThrow()
            .sandboxes()
            .start(
                new PodBuilder()
                    .withNewMetadata()
                    .withNamespace("d")
                    .withName("b")
                    .endMetadata()
                    .build());
    assertThat(a.ips().get(0)).hasToString("10.244.1.2");
    assertThat(b.ips().get(0)).hasToString("10.244.2.2");
    var bNs = world.host("worker2").namespace(b.netns());
    bNs.sockets().bind(new Listener(Protocol.TCP, Ipv4Address.ANY, 8080, "server"));

    var r =
        new Prober(world)
            .probe(
                ProbeRequest.tcp(world.host("worker").namespace(a.netns()), b.ips().get(0), 8080));
    assertThat(r.all(Fate.DELIVERED)).as("%s", r.last().forward()).isTrue();
    assertThat(r.answered()).isTrue();
    assertThat(r.last().delivery().orElseThrow().toString()).contains("10.244.1.2");
    boolean encapsulated =
        r.last()
            .forward()
            .steps()
            .anyMatch(s -> s instanceof Step.Transmit t && t.link().equals("flannel.1"));
    assertThat(encapsulated).isEqualTo(mode == CniMode.OVERLAY);
  }
}
