package dev.podpath.shell.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code ip neigh show} after traffic, in the line format iproute2 6.1 printed on Linux 6.18 for a
 * client that had reached 10.0.0.1 over eth0 ({@code 10.0.0.1 dev eth0 lladdr 82:b1:14:19:a8:b9
 * STALE }, with {@code dev} left out under {@code dev eth0}): the state word is followed by a
 * space. The MAC address is random on Linux and compared as a pattern.
 */
class NeighShowTest {

  @Test
  void aResolvedNeighbourIsListedAsIproute2PrintsIt() {
    var world = new KernelLabWorld();
    var out = new ByteArrayOutputStream();
    var print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int rc =
        new LabRun("t.lab", Path.of("."), world, print, print, LabRun.Format.TEXT)
            .run(
                """
                host s eth0=10.0.0.1/24
                serve tcp 80
                host c eth0=10.0.0.2/24
                probe tcp to 10.0.0.1:80
                """);
    assertThat(rc).isZero();
    var c = LabWorld.Place.root("c");
    String mac = "([0-9a-f]{2}:){5}[0-9a-f]{2}";
    assertThat(world.run(c, List.of("ip", "neigh", "show"), Optional.empty()).stdout())
        .matches("10\\.0\\.0\\.1 dev eth0 lladdr " + mac + " (REACHABLE|STALE) \n");
    assertThat(
            world.run(c, List.of("ip", "neigh", "show", "dev", "eth0"), Optional.empty()).stdout())
        .matches("10\\.0\\.0\\.1 lladdr " + mac + " (REACHABLE|STALE) \n");
  }
}
