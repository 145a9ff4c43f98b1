package dev.podpath.node.cni;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.World;
import dev.podpath.kernel.link.Bridge;
import dev.podpath.net.IpPrefix;
import java.util.HashMap;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bridge plugin on an emulated host leaves the state Debian's plugin leaves on a real one. */
class KernelSandboxNetworkTest {

  @Test
  void bridgeAddWiresThePodIntoTheHost() {
    var world = new World();
    var host = world.addHost("node1");
    host.addNamespace("p1");
    var plugins =
        new EmulatedPlugins(
                new HostFiles(),
                new KernelSandboxNetwork(host, (ns, rules, noflush) -> Optional.empty()))
            .install(new BridgePlugin())
            .install(new HostLocal());
    var env = new HashMap<String, String>();
    env.put("CNI_COMMAND", "ADD");
    env.put("CNI_CONTAINERID", "ctr1");
    env.put("CNI_NETNS", "/var/run/netns/p1");
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", "/opt/cni/bin");
    var r =
        plugins.exec(
            "bridge", env, BridgePluginTest.CONF.replace("\"ipMasq\":true", "\"ipMasq\":false"));
    assertThat(r.exitCode()).as(r.stdout()).isZero();

    var root = host.root();
    var pod = host.namespace("p1");
    String hostVeth = ChainNames.hostVeth("ctr1", "eth0");
    assertThat(root.link("cni0")).isInstanceOf(Bridge.class);
    assertThat(root.link(hostVeth).master()).map(l -> l.name()).contains("cni0");
    assertThat(root.link(hostVeth).hairpin()).isTrue();
    assertThat(root.routing().addresses("cni0"))
        .extracting(a -> a.prefix().toString())
        .contains("10.244.1.1/24");
    assertThat(root.sysctl("net.ipv4.ip_forward")).isEqualTo("1");
    assertThat(pod.routing().addresses("eth0"))
        .filteredOn(a -> a.family() == dev.podpath.net.IpFamily.IPV4)
        .extracting(a -> a.prefix().toString())
        .containsExactly("10.244.1.2/24");
    assertThat(pod.link("eth0").adminUp()).isTrue();
    assertThat(pod.routing().lookup(IpPrefix.parse("8.8.8.8/32").address()))
        .hasValueSatisfying(d -> assertThat(d.toString()).contains("10.244.1.1"));
    assertThat(r.stdout()).contains("\"mac\": \"" + root.link(hostVeth).mac() + "\"");

    env.put("CNI_COMMAND", "DEL");
    assertThat(plugins.exec("bridge", env, BridgePluginTest.CONF).exitCode()).isZero();
    assertThat(pod.findLink("eth0")).isEmpty();
    assertThat(root.findLink(hostVeth)).isEmpty();
    assertThat(root.findLink("cni0")).isPresent();
  }
}
