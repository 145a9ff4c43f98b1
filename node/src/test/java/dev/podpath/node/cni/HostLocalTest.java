package dev.podpath.node.cni;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * host-local as Debian 12's containernetworking-plugins 1.1.1 behaves (the recorded run in
 * ../shared/specs/cni.md §6 and §8, re-checked against /usr/lib/cni/host-local by {@link
 * RealPluginComparisonTest}).
 */
class HostLocalTest {

  static final String CONFIG =
      """
      {
        "cniVersion": "1.0.0",
        "name": "cnispec-net",
        "type": "bridge",
        "bridge": "cnispec0",
        "isGateway": true,
        "ipam": {
          "type": "host-local",
          "ranges": [[{"subnet": "10.199.0.0/24"}]],
          "routes": [{"dst": "0.0.0.0/0"}],
          "dataDir": "/data"
        }
      }""";

  private final HostFiles files = new HostFiles();
  private final HostLocal plugin = new HostLocal();
  private PluginEnvironment env;

  @BeforeEach
  void setUp() {
    env =
        new PluginEnvironment() {
          @Override
          public HostFiles files() {
            return files;
          }

          @Override
          public SandboxNetwork network() {
            throw new UnsupportedOperationException("host-local touches no network");
          }

          @Override
          public ExecResult delegate(String type, CniRequest request) {
            throw new UnsupportedOperationException("host-local delegates nothing");
          }
        };
  }

  private ExecResult run(String command, String id, String ifName, String stdin) {
    Map<String, String> e = new HashMap<>();
    e.put("CNI_COMMAND", command);
    e.put("CNI_CONTAINERID", id);
    e.put("CNI_NETNS", "/var/run/netns/x");
    e.put("CNI_IFNAME", ifName);
    e.put("CNI_PATH", "/usr/lib/cni");
    e.values().removeIf(String::isEmpty);
    return CniDispatcher.exec(plugin, e, stdin, env);
  }

  @Test
  void firstLeaseSkipsTheGatewayAndPrintsLikeGo() {
    var r = run("ADD", "ctr1", "eth0", CONFIG);
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout())
        .isEqualTo(
            """
        {
            "cniVersion": "1.0.0",
            "ips": [
                {
                    "address": "10.199.0.2/24",
                    "gateway": "10.199.0.1"
                }
            ],
            "routes": [
                {
                    "dst": "0.0.0.0/0"
                }
            ],
            "dns": {}
        }""");
    assertThat(files.read("/data/cnispec-net/10.199.0.2")).contains("ctr1\r\neth0");
    assertThat(files.read("/data/cnispec-net/last_reserved_ip.0")).contains("10.199.0.2");
  }

  @Test
  void allocatesRoundRobinNotLowestFree() {
    run("ADD", "ctr1", "eth0", CONFIG);
    run("ADD", "ctr2", "eth0", CONFIG);
    assertThat(run("DEL", "ctr1", "eth0", CONFIG).exitCode()).isZero();
    assertThat(files.read("/data/cnispec-net/10.199.0.2")).isEmpty();
    var third = run("ADD", "ctr3", "eth0", CONFIG);
    assertThat(third.stdout()).contains("\"address\": \"10.199.0.4/24\"");
  }

  @Test
  void delIsIdempotentAndCheckFindsTheReservation() {
    run("ADD", "ctr1", "eth0", CONFIG);
    assertThat(run("CHECK", "ctr1", "eth0", CONFIG).exitCode()).isZero();
    assertThat(run("DEL", "ctr1", "eth0", CONFIG).exitCode()).isZero();
    assertThat(run("DEL", "ctr1", "eth0", CONFIG).exitCode()).isZero();
    var check = run("CHECK", "ctr1", "eth0", CONFIG);
    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.stdout()).contains("Failed to find address added by container ctr1");
  }

  @Test
  void aSecondAddForTheSameAttachmentIsRefused() {
    run("ADD", "ctr1", "eth0", CONFIG);
    var again = run("ADD", "ctr1", "eth0", CONFIG);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stdout())
        .isEqualTo(
            """
        {
            "code": 999,
            "msg": "failed to allocate for range 0: 10.199.0.2 has been allocated to ctr1, duplicate allocation is not allowed"
        }""");
  }

  @Test
  void dualStackTakesOneAddressFromEachRangeSet() {
    String dual =
        CONFIG.replace(
            "[[{\"subnet\": \"10.199.0.0/24\"}]]",
            "[[{\"subnet\": \"10.198.0.0/24\", \"rangeStart\": \"10.198.0.10\", \"rangeEnd\": \"10.198.0.20\"}],"
                + " [{\"subnet\": \"fd99:198::/64\"}]]");
    var r = run("ADD", "ctr1", "eth0", dual);
    assertThat(r.stdout())
        .contains(
            "\"address\": \"10.198.0.10/24\"",
            "\"gateway\": \"10.198.0.1\"",
            "\"address\": \"fd99:198::2/64\"",
            "\"gateway\": \"fd99:198::1\"");
    assertThat(files.list("/data/cnispec-net"))
        .containsExactly(
            "10.198.0.10", "fd99:198::2", "last_reserved_ip.0", "last_reserved_ip.1", "lock");
  }

  @Test
  void anExhaustedRangeNamesItself() {
    String tiny =
        CONFIG.replace(
            "[[{\"subnet\": \"10.199.0.0/24\"}]]",
            "[[{\"subnet\": \"10.199.0.0/24\", \"rangeStart\": \"10.199.0.2\", \"rangeEnd\": \"10.199.0.3\"}]]");
    run("ADD", "a", "eth0", tiny);
    run("ADD", "b", "eth0", tiny);
    var r = run("ADD", "c", "eth0", tiny);
    assertThat(r.stdout())
        .contains(
            "failed to allocate for range 0: no IP addresses available in range set: 10.199.0.2-10.199.0.3");
  }

  @Test
  void skelChecksTheEnvironmentAndVersionFirst() {
    assertThat(run("ADD", "ctr1", "", CONFIG).stdout())
        .isEqualTo(
            """
        {
            "code": 4,
            "msg": "required env variables [CNI_IFNAME] missing"
        }""");
    assertThat(run("ADD", "ctr1", "eth0", "{bad").stdout())
        .contains(
            "\"code\": 6",
            "error unmarshall network config: invalid character 'b' looking for beginning of object key string");
    assertThat(run("ADD", "ctr1", "eth0", CONFIG.replace("1.0.0", "1.1.0")).stdout())
        .isEqualTo(
            """
        {
            "code": 1,
            "msg": "incompatible CNI versions",
            "details": "config is \\"1.1.0\\", plugin supports [\\"0.1.0\\" \\"0.2.0\\" \\"0.3.0\\" \\"0.3.1\\" \\"0.4.0\\" \\"1.0.0\\"]"
        }""");
    assertThat(run("GC", "", "", CONFIG).stdout())
        .contains("\"code\": 3", "\"msg\": \"missing containerID\"");
    assertThat(run("GC", "ctr1", "eth0", CONFIG).stdout())
        .contains("\"code\": 4", "unknown CNI_COMMAND: GC");
    var version =
        CniDispatcher.exec(
            plugin, Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"1.1.0\"}", env);
    assertThat(version.stdout())
        .isEqualTo(
            "{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.1.0\",\"0.2.0\",\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\"]}");
  }
}
