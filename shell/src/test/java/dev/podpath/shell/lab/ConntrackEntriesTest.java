package dev.podpath.shell.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.shell.ToolResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code conntrack -L|-D} on a table with entries, compared with what conntrack-tools 1.4.7 printed
 * on Linux 6.18 for the same traffic: a UDP server in one network namespace (with a conntrack rule,
 * so the namespace tracks connections), answering datagrams from ports 4010 and 4011 of a client in
 * another. Linux lists entries in hash order, so lines are compared as multisets; the timeout
 * column counts down in seconds and is compared as {@code T}.
 */
class ConntrackEntriesTest {

  static final String LAB =
      """
      host s eth0=10.0.0.1/24
      iptables -A INPUT -m conntrack --ctstate NEW -j ACCEPT
      serve udp 53
      host c eth0=10.0.0.2/24
      probe udp sport 4010 to 10.0.0.1:53
      probe udp sport 4011 to 10.0.0.1:53
      """;

  static final String E4010 =
      "udp      17 T src=10.0.0.2 dst=10.0.0.1 sport=4010 dport=53 src=10.0.0.1 dst=10.0.0.2"
          + " sport=53 dport=4010 mark=0 use=1";
  static final String E4011 = E4010.replace("4010", "4011");

  /** Recorded: the command, its exit status, standard output lines, standard error. */
  record Real(String command, int exit, List<String> stdout, String stderr) {}

  static final List<Real> REAL =
      List.of(
          new Real("conntrack -L", 0, List.of(E4011, E4010), shown(2)),
          new Real("conntrack -L -p udp --sport 4010", 0, List.of(E4010), shown(1)),
          new Real(
              "conntrack -L -s 10.0.0.2 -d 10.0.0.1 -p udp --dport 53",
              0,
              List.of(E4011, E4010),
              shown(2)),
          new Real("conntrack -L -p tcp", 0, List.of(), shown(0)),
          new Real("conntrack -L -f ipv6", 0, List.of(), shown(0)),
          new Real("conntrack -L -r 10.0.0.1 -q 10.0.0.2", 0, List.of(E4011, E4010), shown(2)),
          new Real(
              "conntrack -D -p udp --sport 4011",
              0,
              List.of(E4011),
              "conntrack v1.4.7 (conntrack-tools): 1 flow entries have been deleted.\n"),
          new Real("conntrack -L", 0, List.of(E4010), shown(1)),
          new Real("conntrack -C", 0, List.of("1"), ""));

  static String shown(int n) {
    return "conntrack v1.4.7 (conntrack-tools): " + n + " flow entries have been shown.\n";
  }

  @Test
  void entriesAreListedFilteredAndDeletedAsConntrackToolsPrintsThem() {
    var world = new KernelLabWorld();
    var out = new ByteArrayOutputStream();
    int rc =
        new LabRun(
                "t.lab",
                Path.of("."),
                world,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                LabRun.Format.TEXT)
            .run(LAB);
    assertThat(rc).as(out.toString(StandardCharsets.UTF_8)).isZero();
    for (Real real : REAL) {
      ToolResult r =
          world.run(
              LabWorld.Place.root("s"), Arrays.asList(real.command().split(" ")), Optional.empty());
      List<String> lines =
          r.stdout().isEmpty()
              ? List.of()
              : Arrays.stream(r.stdout().split("\n"))
                  .map(l -> l.replaceFirst("^(\\w+ +\\d+) \\d+ ", "$1 T "))
                  .toList();
      assertThat(r.exitCode()).as(real.command()).isEqualTo(real.exit());
      assertThat(lines).as(real.command()).containsExactlyInAnyOrderElementsOf(real.stdout());
      assertThat(r.stderr()).as(real.command()).isEqualTo(real.stderr());
    }
  }
}
