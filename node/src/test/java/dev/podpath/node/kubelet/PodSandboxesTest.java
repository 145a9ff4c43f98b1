package dev.podpath.node.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.kernel.Host;
import dev.podpath.kernel.World;
import dev.podpath.kernel.socket.Listener;
import dev.podpath.kernel.walk.ProbeRequest;
import dev.podpath.kernel.walk.Prober;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Fate;
import dev.podpath.node.cni.BridgePlugin;
import dev.podpath.node.cni.CniException;
import dev.podpath.node.cni.CniRuntime;
import dev.podpath.node.cni.EmulatedPlugins;
import dev.podpath.node.cni.HostFiles;
import dev.podpath.node.cni.HostLocal;
import dev.podpath.node.cni.KernelSandboxNetwork;
import dev.podpath.node.cni.LoopbackPlugin;
import dev.podpath.node.cni.NetworkConfigList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodSandboxesTest {

  static PodSandboxes sandboxes(Host host, String subnet, String rangeEnd) throws CniException {
    var plugins =
        new EmulatedPlugins(
                new HostFiles(),
                new KernelSandboxNetwork(host, (ns, rules, noflush) -> Optional.empty()))
            .install(new BridgePlugin())
            .install(new HostLocal())
            .install(new LoopbackPlugin());
    var list =
        NetworkConfigList.parse(
            """
        {"cniVersion":"1.0.0","name":"podnet","plugins":[{"type":"bridge","bridge":"cni0","isGateway":true,
        "hairpinMode":true,"ipam":{"type":"host-local","ranges":[[{"subnet":"%s"%s}]],
        "routes":[{"dst":"0.0.0.0/0"}]}}]}"""
                .formatted(subnet, rangeEnd.isEmpty() ? "" : ",\"rangeEnd\":\"" + rangeEnd + "\""));
    return new PodSandboxes(host, new CniRuntime(plugins, "/opt/cni/bin"), list);
  }

  static Pod pod(String ns, String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .build();
  }

  @Test
  void eachPodGetsANamespaceWithLoAndEth0AndTheNextAddress() throws Exception {
    var host = new World().addHost("worker");
    var s = sandboxes(host, "10.244.1.0/24", "");
    var web = s.start(pod("shop", "web-0"));
    var db = s.start(pod("shop", "db-0"));
    assertThat(web.ips()).extracting(Object::toString).containsExactly("10.244.1.2");
    assertThat(db.ips()).extracting(Object::toString).containsExactly("10.244.1.3");
    var ns = host.namespace("cni-shop-web-0");
    assertThat(ns.loopback().adminUp()).isTrue();
    assertThat(ns.link("eth0").adminUp()).isTrue();
    assertThat(s.start(pod("shop", "web-0"))).isSameAs(web);

    s.stop("shop/web-0");
    assertThat(host.findNamespace("cni-shop-web-0")).isEmpty();
    assertThat(s.sandbox("shop/web-0")).isEmpty();
    assertThat(s.start(pod("shop", "web-1")).ips())
        .extracting(Object::toString)
        .containsExactly("10.244.1.4");
  }

  @Test
  void podsOnOneBridgeReachEachOtherAndTheNodeThroughTheWalk() throws Exception {
    var world = new World();
    var host = world.addHost("worker");
    var s = sandboxes(host, "10.244.1.0/24", "");
    s.start(pod("shop", "web-0"));
    var db = s.start(pod("shop", "db-0"));
    var dbNs = host.namespace("cni-shop-db-0");
    dbNs.sockets().bind(new Listener(Protocol.TCP, Ipv4Address.ANY, 5432, "postgres"));
    var prober = new Prober(world);

    var toDb =
        prober.probe(ProbeRequest.tcp(host.namespace("cni-shop-web-0"), db.ips().get(0), 5432));
    assertThat(toDb.all(Fate.DELIVERED)).as("%s", toDb).isTrue();
    assertThat(toDb.answered()).isTrue();
    assertThat(toDb.last().delivery().orElseThrow().toString()).contains("10.244.1.2");

    var closedPort =
        prober.probe(ProbeRequest.tcp(host.namespace("cni-shop-web-0"), db.ips().get(0), 80));
    assertThat(closedPort.all(Fate.REFUSED)).isTrue();

    var toGateway = prober.probe(ProbeRequest.icmp(dbNs, IpAddress.parse("10.244.1.1")));
    assertThat(toGateway.all(Fate.DELIVERED)).as("%s", toGateway).isTrue();
  }

  @Test
  void aFailedAddLeavesNoNamespaceBehind() throws Exception {
    var host = new World().addHost("worker");
    var s = sandboxes(host, "10.244.1.0/24", "10.244.1.2");
    s.start(pod("a", "one"));
    assertThatThrownBy(() -> s.start(pod("a", "two")))
        .isInstanceOf(CniException.class)
        .hasMessageContaining("no IP addresses available in range set");
    assertThat(host.findNamespace("cni-a-two")).isEmpty();
    assertThat(s.sandboxes()).hasSize(1);
  }
}
