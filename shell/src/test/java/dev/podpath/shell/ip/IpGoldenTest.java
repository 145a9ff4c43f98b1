package dev.podpath.shell.ip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.shell.GoldenTranscript;
import dev.podpath.shell.ToolResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
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

  /** Commands whose real output podpath does not reproduce yet, and why (none at the moment). */
  static final Map<String, String> KNOWN = Map.of();

  @Test
  void ipAnswersAsIproute2DoesForEveryRecordedCommand() throws IOException {
    World world = new World();
    NetNamespace root = world.addHost("host").root();
    var mismatches = new ArrayList<String>();
    var stillDeviating = new HashSet<String>();
    for (GoldenTranscript t : GoldenTranscript.load("/golden/ip.golden")) {
      ToolResult r = IpTool.run(root, List.of(t.command().split(" ")));
      var got = GoldenTranscript.of(t.command(), r);
      var want = t.normalized();
      if (!got.equals(want) && KNOWN.containsKey(t.command())) {
        stillDeviating.add(t.command());
      } else if (!got.equals(want) && !KNOWN.containsKey(t.command())) {
        mismatches.add("$ " + t.command() + "\n  want: " + want + "\n  got:  " + got);
      }
    }
    assertThat(mismatches).as("commands whose output differs from iproute2's").isEmpty();
    assertThat(stillDeviating)
        .as("known deviations that no longer happen: remove them from KNOWN")
        .containsExactlyInAnyOrderElementsOf(KNOWN.keySet());
  }
}
