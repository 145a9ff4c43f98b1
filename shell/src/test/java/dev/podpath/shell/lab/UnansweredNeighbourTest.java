package dev.podpath.shell.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * After a datagram to an address on the LAN that nobody has, {@code ip neigh show} lists the
 * address {@code INCOMPLETE}, without {@code lladdr}. The lab was run with {@code kernel-lab} on
 * Linux 6.18 (iproute2 6.1), which printed exactly {@code 10.0.0.99 dev eth0 INCOMPLETE }.
 */
class UnansweredNeighbourTest {

  static final String LAB =
      """
      host a eth0=10.0.0.1/24
      probe udp to 10.0.0.99:53
      ip neigh show
      """;

  @Test
  void anUnansweredAddressIsListedIncompleteWithoutLinkLayerAddress() {
    var out = new ByteArrayOutputStream();
    int rc =
        new LabRun(
                "t.lab",
                Path.of("."),
                new KernelLabWorld(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                LabRun.Format.TEXT)
            .run(LAB);
    assertThat(rc).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .filteredOn(l -> !l.startsWith("t.lab:"))
        .containsExactly("10.0.0.99 dev eth0 INCOMPLETE ");
  }
}
