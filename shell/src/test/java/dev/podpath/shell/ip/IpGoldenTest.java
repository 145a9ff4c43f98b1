package dev.podpath.shell.ip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.shell.GoldenTranscript;
import dev.podpath.shell.ToolResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replays {@code golden/ip-commands.txt} in podpath and compares every command's exit code,
 * standard output and standard error with {@code golden/ip.golden}, recorded from iproute2 6.1 on
 * Linux by {@code golden/record.py}. MAC addresses are random on Linux and are compared as {@code
 * MAC}. The few known deviations are listed with their reason and must stay the only ones.
 */
class IpGoldenTest {

  /** Commands whose real output podpath does not reproduce yet, and why. */
  static final Map<String, String> KNOWN =
      Map.ofEntries(
          Map.entry("ip -n lab-g2 link show vc", "veth ifindex order (see below)"),
          Map.entry("ip -n lab-g2 -br link show dev vc", "veth ifindex order (see below)"),
          Map.entry(
              "ip -n lab-g1 route show table main",
              "a bridge whose last port left has no carrier on Linux (linkdown); the kernel model gives it carrier"),
          Map.entry(
              "ip -n lab-g1 address show dev br0 scope global",
              "bridge carrier after its last port left, as above"),
          Map.entry(
              "ip -n lab-g1 -6 route",
              "Linux gives every device that is up an fe80::/64 address; the kernel model does not"),
          Map.entry(
              "ip -n lab-g1 link show",
              "veth ifindex: Linux numbers the peer first (vb 4, va 5); the kernel model numbers va first"),
          Map.entry("ip -n lab-g1 -br link", "veth ifindex order, as above"),
          Map.entry("ip -n lab-g1 link show master br0", "veth ifindex order, as above"),
          Map.entry("ip -n lab-g1 link show va", "veth ifindex order, as above"),
          Map.entry(
              "ip -n lab-g1 link show veth0",
              "a device keeps its qdisc (noqueue) after going down; the kernel model shows noop"));

  @Test
  void ipAnswersAsIproute2DoesForEveryRecordedCommand() throws IOException {
    World world = new World();
    NetNamespace root = world.addHost("host").root();
    var mismatches = new ArrayList<String>();
    for (GoldenTranscript t : GoldenTranscript.load("/golden/ip.golden")) {
      ToolResult r = IpTool.run(root, List.of(t.command().split(" ")));
      var got = GoldenTranscript.of(t.command(), r);
      var want = t.normalized();
      if (!got.equals(want) && !KNOWN.containsKey(t.command())) {
        mismatches.add("$ " + t.command() + "\n  want: " + want + "\n  got:  " + got);
      }
    }
    assertThat(mismatches).as("commands whose output differs from iproute2's").isEmpty();
  }
}
