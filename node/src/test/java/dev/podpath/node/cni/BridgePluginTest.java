package dev.podpath.node.cni;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bridge plugin against a recording network, with expectations from Debian's plugin run in
 * namespaces (the chain name, rules and result below are what /usr/lib/cni/bridge produced for the
 * same config: see ../shared/specs/cni.md §8 and the lead's recorded run in docs/cni.md).
 */
class BridgePluginTest {

  /** A recording SandboxNetwork: links and addresses per namespace, and every operation. */
  static final class Recorder implements SandboxNetwork {
    final List<String> ops = new ArrayList<>();
    final Set<String> netns = new HashSet<>(Set.of("/var/run/netns/p1"));
    final Map<String, Set<String>> links = new HashMap<>();
    final Set<String> addresses = new HashSet<>();
    final List<String> restores = new ArrayList<>();

    private Set<String> linksOf(String ns) {
      return links.computeIfAbsent(ns, k -> new HashSet<>());
    }

    @Override
    public boolean netnsExists(String p) {
      return netns.contains(p);
    }

    @Override
    public boolean linkExists(String ns, String l) {
      return linksOf(ns).contains(l);
    }

    @Override
    public String ensureBridge(String name, int mtu, boolean hairpin) {
      ops.add("bridge " + name);
      linksOf("").add(name);
      return "0e:dd:db:7e:9b:1f";
    }

    @Override
    public String[] createVeth(
        String ns, String cIf, String hIf, String br, int mtu, boolean hairpin) {
      ops.add(
          "veth " + hIf + " master " + br + " <-> " + ns + " " + cIf + (hairpin ? " hairpin" : ""));
      linksOf(ns).add(cIf);
      linksOf("").add(hIf);
      return new String[] {"a2:a6:67:d8:b9:51", "92:e9:f7:86:2e:74"};
    }

    @Override
    public void addAddress(String ns, String l, IpPrefix a) {
      ops.add("addr " + ns + " " + l + " " + a);
      addresses.add(ns + l + a);
    }

    @Override
    public boolean hasAddress(String ns, String l, IpPrefix a) {
      return addresses.contains(ns + l + a);
    }

    @Override
    public void addRoute(String ns, IpPrefix d, Optional<IpAddress> via, String dev) {
      ops.add("route " + ns + " " + d + via.map(v -> " via " + v).orElse("") + " dev " + dev);
    }

    @Override
    public void sysctl(String ns, String k, String v) {
      ops.add("sysctl " + k + "=" + v);
    }

    @Override
    public void linkUp(String ns, String l) {
      ops.add("up " + ns + " " + l);
    }

    @Override
    public void deleteLink(String ns, String l) {
      ops.add("del " + ns + " " + l);
      linksOf(ns).remove(l);
    }

    @Override
    public Optional<String> vethPeer(String ns, String l) {
      return Optional.empty();
    }

    @Override
    public String mac(String ns, String l) {
      return "00:00:00:00:00:00";
    }

    @Override
    public void iptablesRestore(String rules, boolean noflush) {
      restores.add(rules);
    }
  }

  static final String CONF =
      """
      {"cniVersion":"1.0.0","name":"podnet","type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":true,
      "hairpinMode":true,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.244.1.0/24"}]],
      "routes":[{"dst":"0.0.0.0/0"}],"dataDir":"/ipam"}}""";

  private final Recorder net = new Recorder();
  private final EmulatedPlugins plugins =
      new EmulatedPlugins(new HostFiles(), net)
          .install(new BridgePlugin())
          .install(new HostLocal())
          .install(new LoopbackPlugin());

  private ExecResult run(String cmd, String id, String ns, String stdin) {
    var env = new HashMap<String, String>();
    env.put("CNI_COMMAND", cmd);
    env.put("CNI_CONTAINERID", id);
    env.put("CNI_NETNS", ns);
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", "/usr/lib/cni");
    return plugins.exec("bridge", env, stdin);
  }

  @Test
  void addBuildsTheBridgeVethAddressesRoutesAndMasquerade() {
    var r = run("ADD", "ctr1", "/var/run/netns/p1", CONF);
    assertThat(r.exitCode()).isZero();
    String hostVeth = ChainNames.hostVeth("ctr1", "eth0");
    assertThat(r.stdout())
        .isEqualTo(
            """
        {
            "cniVersion": "1.0.0",
            "interfaces": [
                {
                    "name": "cni0",
                    "mac": "0e:dd:db:7e:9b:1f"
                },
                {
                    "name": "%s",
                    "mac": "a2:a6:67:d8:b9:51"
                },
                {
                    "name": "eth0",
                    "mac": "92:e9:f7:86:2e:74",
                    "sandbox": "/var/run/netns/p1"
                }
            ],
            "ips": [
                {
                    "interface": 2,
                    "address": "10.244.1.2/24",
                    "gateway": "10.244.1.1"
                }
            ],
            "routes": [
                {
                    "dst": "0.0.0.0/0"
                }
            ],
            "dns": {}
        }"""
                .formatted(hostVeth));
    assertThat(net.ops)
        .containsSubsequence(
            "bridge cni0",
            "veth " + hostVeth + " master cni0 <-> /var/run/netns/p1 eth0 hairpin",
            "addr /var/run/netns/p1 eth0 10.244.1.2/24",
            "up /var/run/netns/p1 eth0",
            "route /var/run/netns/p1 0.0.0.0/0 via 10.244.1.1 dev eth0",
            "addr  cni0 10.244.1.1/24",
            "sysctl net.ipv4.ip_forward=1");
    assertThat(net.restores)
        .containsExactly(
            """
        *nat
        :CNI-ee871de47c845415462ccc60 - [0:0]
        -A POSTROUTING -s 10.244.1.2/32 -m comment --comment "name: \\"podnet\\" id: \\"ctr1\\"" -j CNI-ee871de47c845415462ccc60
        -A CNI-ee871de47c845415462ccc60 -d 10.244.1.0/24 -m comment --comment "name: \\"podnet\\" id: \\"ctr1\\"" -j ACCEPT
        -A CNI-ee871de47c845415462ccc60 ! -d 224.0.0.0/4 -m comment --comment "name: \\"podnet\\" id: \\"ctr1\\"" -j MASQUERADE
        COMMIT
        """);
  }

  @Test
  void aSecondAddOfTheSameInterfaceFailsBeforeReservingAnAddress() {
    run("ADD", "ctr1", "/var/run/netns/p1", CONF);
    var again = run("ADD", "ctr1", "/var/run/netns/p1", CONF);
    assertThat(again.stdout()).contains("container veth name provided (eth0) already exists");
    var other =
        new HashMap<String, String>(
            Map.of(
                "CNI_COMMAND",
                "ADD",
                "CNI_CONTAINERID",
                "ipamonly",
                "CNI_NETNS",
                "/x",
                "CNI_IFNAME",
                "net1",
                "CNI_PATH",
                "/usr/lib/cni"));
    assertThat(plugins.exec("host-local", other, CONF).stdout()).contains("10.244.1.3/24");
  }

  @Test
  void aMissingNamespaceIsReportedLikeTheRealPlugin() {
    assertThat(run("ADD", "ctr2", "/var/run/netns/nope", CONF).stdout())
        .isEqualTo(
            """
        {
            "code": 999,
            "msg": "failed to open netns \\"/var/run/netns/nope\\": failed to Statfs \\"/var/run/netns/nope\\": no such file or directory"
        }""");
  }

  @Test
  void checkNeedsPrevResultAndDelUndoesTheAdd() {
    var add = run("ADD", "ctr1", "/var/run/netns/p1", CONF);
    assertThat(run("CHECK", "ctr1", "/var/run/netns/p1", CONF).stdout())
        .contains("Required prevResult missing");
    String withPrev =
        CONF.substring(0, CONF.lastIndexOf('}')) + ",\"prevResult\":" + add.stdout() + "}";
    assertThat(run("CHECK", "ctr1", "/var/run/netns/p1", withPrev).exitCode()).isZero();
    assertThat(run("DEL", "ctr1", "/var/run/netns/p1", withPrev).exitCode()).isZero();
    assertThat(net.ops).contains("del /var/run/netns/p1 eth0");
    assertThat(net.restores.get(1))
        .contains("-D POSTROUTING -s 10.244.1.2/32", "-X CNI-ee871de47c845415462ccc60");
    assertThat(run("DEL", "ctr1", "/var/run/netns/p1", withPrev).exitCode()).isZero();
  }

  @Test
  void loopbackReportsItsAddresses() {
    var env =
        new HashMap<>(
            Map.of(
                "CNI_COMMAND",
                "ADD",
                "CNI_CONTAINERID",
                "ctr1",
                "CNI_NETNS",
                "/var/run/netns/p1",
                "CNI_IFNAME",
                "lo",
                "CNI_PATH",
                "/usr/lib/cni"));
    assertThat(
            plugins
                .exec(
                    "loopback",
                    env,
                    "{\"cniVersion\":\"1.0.0\",\"name\":\"lo\",\"type\":\"loopback\"}")
                .stdout())
        .contains(
            "\"address\": \"127.0.0.1/8\"",
            "\"address\": \"::1/128\"",
            "\"sandbox\": \"/var/run/netns/p1\"");
  }
}
