package dev.podpath.node.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the same host-local sequence through Debian's real plugin ({@code /usr/lib/cni/host-local},
 * package containernetworking-plugins; it needs no root and no namespace) and through the
 * emulation, and compares every stdout, exit status and the reservation files byte for byte. Skips,
 * saying so, when the real plugin is not installed.
 */
class RealPluginComparisonTest {

  private static final Path REAL = Path.of("/usr/lib/cni/host-local");

  @TempDir Path tmp;

  record Step(String command, String id, String ifName, String stdinTweak) {}

  private static final List<Step> SCRIPT =
      List.of(
          new Step("ADD", "a", "eth0", ""),
          new Step("ADD", "b", "eth0", ""),
          new Step("ADD", "a", "eth0", ""),
          new Step("ADD", "c", "eth0", ""),
          new Step("DEL", "a", "eth0", ""),
          new Step("ADD", "d", "eth0", ""),
          new Step("CHECK", "b", "eth0", ""),
          new Step("CHECK", "zz", "eth0", ""),
          new Step("DEL", "zz", "eth0", ""),
          new Step("ADD", "e", "net1", "1.1.0"),
          new Step("ADD", "e", "", ""),
          new Step("ADD", "e", "eth0", "{bad"),
          new Step("GC", "e", "eth0", ""));

  @Test
  void emulatedHostLocalAnswersLikeTheRealOne() throws Exception {
    assumeTrue(
        Files.isExecutable(REAL),
        "skipped: " + REAL + " absent (apt-get install containernetworking-plugins)");
    String config =
        """
        {"cniVersion":"1.0.0","name":"cmp-net","type":"bridge","ipam":{"type":"host-local",
        "ranges":[[{"subnet":"10.199.0.0/24","rangeStart":"10.199.0.2","rangeEnd":"10.199.0.4"}]],
        "routes":[{"dst":"0.0.0.0/0"}],"dataDir":"DATA"}}""";
    Path data = tmp.resolve("data");
    var files = new HostFiles();
    var env =
        new PluginEnvironment() {
          @Override
          public HostFiles files() {
            return files;
          }

          @Override
          public SandboxNetwork network() {
            throw new UnsupportedOperationException();
          }

          @Override
          public ExecResult delegate(String type, CniRequest request) {
            throw new UnsupportedOperationException();
          }
        };
    for (Step step : SCRIPT) {
      String stdin =
          switch (step.stdinTweak()) {
            case "" -> config;
            case "{bad" -> "{bad";
            default -> config.replace("1.0.0", step.stdinTweak());
          };
      Map<String, String> vars = new HashMap<>();
      vars.put("CNI_COMMAND", step.command());
      vars.put("CNI_CONTAINERID", step.id());
      vars.put("CNI_NETNS", "/var/run/netns/none");
      vars.put("CNI_IFNAME", step.ifName());
      vars.put("CNI_PATH", "/usr/lib/cni");
      vars.values().removeIf(String::isEmpty);
      var real = runReal(vars, stdin.replace("DATA", data.toString()));
      var emulated = CniDispatcher.exec(new HostLocal(), vars, stdin.replace("DATA", "/data"), env);
      assertThat(emulated.stdout()).as("stdout of %s", step).isEqualTo(real.stdout());
      assertThat(emulated.exitCode()).as("exit status of %s", step).isEqualTo(real.exitCode());
    }
    try (var listing = Files.list(data.resolve("cmp-net"))) {
      var realFiles = listing.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(files.list("/data/cmp-net")).isEqualTo(realFiles);
      for (String f : realFiles) {
        assertThat(files.read("/data/cmp-net/" + f).orElseThrow())
            .as("content of %s", f)
            .isEqualTo(Files.readString(data.resolve("cmp-net").resolve(f)));
      }
    }
  }

  private static ExecResult runReal(Map<String, String> vars, String stdin)
      throws IOException, InterruptedException {
    var pb = new ProcessBuilder(REAL.toString());
    pb.environment().clear();
    pb.environment().putAll(vars);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException exitedWithoutReading) {
      // the plugin may fail on its environment before it reads stdin (as skel does): fine
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return new ExecResult(p.exitValue(), out, err);
  }
}
