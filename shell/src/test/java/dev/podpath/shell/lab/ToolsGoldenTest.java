package dev.podpath.shell.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.shell.GoldenTranscript;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Replays {@code golden/tools-commands.txt} ({@code bridge}, {@code sysctl}, {@code cat /proc/sys},
 * {@code conntrack}) in a namespace and compares with {@code golden/tools.golden}, recorded on
 * Linux by {@code record-tools.py}.
 */
class ToolsGoldenTest {

  /** Commands whose real output the tools do not reproduce, and why (none at the moment). */
  static final Map<String, String> KNOWN = Map.of();

  /**
   * {@code bridge fdb show} on Linux also lists the multicast addresses every device joins ({@code
   * 33:33:00:00:00:01 dev v1 self permanent}: IPv6 all-nodes, and more once it is up), which the
   * kernel model does not keep (a documented difference); they are left out of the recorded output
   * before comparing.
   */
  static GoldenTranscript withoutMulticastSelfEntries(GoldenTranscript t) {
    if (!t.command().startsWith("bridge fdb")) {
      return t;
    }
    String kept =
        t.stdout()
            .lines()
            .filter(l -> !l.matches("(33:33|01:00:5e):\\S+ (dev \\S+ )?self permanent"))
            .map(l -> l + "\n")
            .collect(java.util.stream.Collectors.joining());
    return new GoldenTranscript(t.command(), t.exitCode(), kept, t.stderr());
  }

  @Test
  void theToolsAnswerAsTheRealOnesDo() throws IOException {
    World world = new World();
    NetNamespace ns = world.addHost("host").addNamespace("lab-t");
    Tools tools = Tools.standard();
    var mismatches = new ArrayList<String>();
    var stillDeviating = new HashSet<String>();
    for (GoldenTranscript t : GoldenTranscript.load("/golden/tools.golden")) {
      var got =
          GoldenTranscript.of(
              t.command(), tools.run(ns, List.of(t.command().split(" ")), Optional.empty()));
      var want = withoutMulticastSelfEntries(t).normalized();
      if (!got.equals(want) && KNOWN.containsKey(t.command())) {
        stillDeviating.add(t.command());
      } else if (!got.equals(want) && !KNOWN.containsKey(t.command())) {
        mismatches.add("$ " + t.command() + "\n  want: " + want + "\n  got:  " + got);
      }
    }
    assertThat(mismatches).as("commands whose output differs from the real tools'").isEmpty();
    assertThat(stillDeviating)
        .as("known deviations that no longer happen: remove them from KNOWN")
        .containsExactlyInAnyOrderElementsOf(KNOWN.keySet());
  }
}
