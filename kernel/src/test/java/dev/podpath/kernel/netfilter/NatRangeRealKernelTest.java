package dev.podpath.kernel.netfilter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the flows of {@code nat/range-hash-linux-6.18.txt} on this machine's kernel, in network
 * namespaces of its own, and checks that Linux still maps every flow as the golden file (which
 * {@link NatRangeTest} holds podpath to) says. Needs root, iptables, conntrack and python3 (the
 * datagrams are sent from bound sockets); skips, saying why, elsewhere.
 */
class NatRangeRealKernelTest {

  private static final String SEND =
      """
      import socket, sys
      a = sys.argv[1:]
      for i in range(0, len(a), 4):
          s = socket.socket(socket.AF_INET6 if ':' in a[i] else socket.AF_INET, socket.SOCK_DGRAM)
          s.bind((a[i], int(a[i + 1])))
          s.sendto(b'x', (a[i + 2], int(a[i + 3])))
          s.close()
      """;

  @TestFactory
  List<DynamicTest> linuxStillMapsEveryFlowAsTheGoldenFileSays() throws IOException {
    Assumptions.assumeTrue(
        run("id", "-u").out().trim().equals("0"), "not root: the real-kernel replay is skipped");
    for (String tool : List.of("iptables", "ip6tables", "conntrack", "python3")) {
      Assumptions.assumeTrue(
          run("sh", "-c", "command -v " + tool).code() == 0, tool + " is missing: replay skipped");
    }
    Map<String, List<String>> golden = NatRangeTest.golden();
    return golden.entrySet().stream()
        .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> replay(e.getKey(), e.getValue())))
        .toList();
  }

  private static void replay(String section, List<String> flows) throws IOException {
    String p = "podpath-natrange-" + ProcessHandle.current().pid();
    Path script = Files.createTempFile("podpath-natrange", ".py");
    Files.writeString(script, SEND);
    try {
      setUp(p);
      List<String> rule = new ArrayList<>(List.of("ip", "netns", "exec", p + "-r"));
      rule.addAll(List.of(section.split(" ")));
      check(rule.toArray(String[]::new));
      List<String> send = new ArrayList<>(List.of("ip", "netns", "exec", p + "-c", "python3"));
      send.add(script.toString());
      for (String line : flows) {
        Matcher m = NatRangeTest.FLOW.matcher(line);
        assertThat(m.matches()).as("golden line %s", line).isTrue();
        send.addAll(List.of(m.group(1), m.group(3), m.group(2), m.group(4)));
      }
      check(send.toArray(String[]::new));
      String family = section.startsWith("ip6tables") ? "ipv6" : "ipv4";
      Result listed =
          run(
              "ip",
              "netns",
              "exec",
              p + "-r",
              "sh",
              "-c",
              "conntrack -L -f " + family + " 2>/dev/null");
      List<String> real =
          listed
              .out()
              .lines()
              .filter(l -> l.startsWith("udp"))
              .map(l -> withoutUse(l.replaceFirst("^udp +17 \\d+ ", "")))
              .toList();
      assertThat(real)
          .containsExactlyInAnyOrderElementsOf(
              flows.stream().map(NatRangeRealKernelTest::withoutUse).toList());
    } finally {
      for (String n : List.of("c", "r", "s")) {
        run("ip", "netns", "del", p + "-" + n);
      }
      Files.deleteIfExists(script);
    }
  }

  /**
   * The reference count is not part of the mapping: packets still waiting for neighbour resolution
   * hold one more ({@code use=2}) on a fresh run.
   */
  private static String withoutUse(String line) {
    return line.replaceFirst(" use=\\d+$", "");
  }

  /** The namespaces the golden file's header describes. */
  private static void setUp(String p) {
    for (String n : List.of("c", "r", "s")) {
      run("ip", "netns", "del", p + "-" + n);
      check("ip", "netns", "add", p + "-" + n);
      check("ip", "-n", p + "-" + n, "link", "set", "lo", "up");
    }
    check(
        "ip", "link", "add", "c0", "netns", p + "-c", "type", "veth", "peer", "rc", "netns",
        p + "-r");
    check(
        "ip", "link", "add", "s0", "netns", p + "-s", "type", "veth", "peer", "rs", "netns",
        p + "-r");
    String r = p + "-r";
    for (String a : List.of("rc 10.1.0.1/24", "rs 10.2.0.1/24", "rc fd01::1/64", "rs fd02::1/64")) {
      String[] w = a.split(" ");
      check("ip", "-n", r, "addr", "add", w[1], "dev", w[0], "nodad");
    }
    for (int i = 2; i <= 40; i++) {
      check("ip", "-n", p + "-c", "addr", "add", "10.1.0." + i + "/24", "dev", "c0");
    }
    for (int i = 2; i <= 9; i++) {
      check("ip", "-n", p + "-c", "addr", "add", "fd01::" + i + "/64", "dev", "c0", "nodad");
      check("ip", "-n", p + "-s", "addr", "add", "10.2.0." + i + "/24", "dev", "s0");
    }
    for (int i = 2; i <= 5; i++) {
      check("ip", "-n", p + "-s", "addr", "add", "fd02::" + i + "/64", "dev", "s0", "nodad");
    }
    for (String[] l : new String[][] {{"r", "rc"}, {"r", "rs"}, {"c", "c0"}, {"s", "s0"}}) {
      check("ip", "-n", p + "-" + l[0], "link", "set", l[1], "up");
    }
    check("ip", "-n", p + "-c", "route", "add", "default", "via", "10.1.0.1");
    check("ip", "-n", p + "-s", "route", "add", "default", "via", "10.2.0.1");
    check("ip", "-n", p + "-c", "-6", "route", "add", "default", "via", "fd01::1");
    check("ip", "-n", p + "-s", "-6", "route", "add", "default", "via", "fd02::1");
    check("ip", "netns", "exec", r, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    check("ip", "netns", "exec", r, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
  }

  private record Result(int code, String out) {}

  private static void check(String... argv) {
    Result r = run(argv);
    assertThat(r.code()).as("%s: %s", String.join(" ", argv), r.out()).isZero();
  }

  private static Result run(String... argv) {
    try {
      Process p =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(p.waitFor(), out);
    } catch (IOException e) {
      return new Result(127, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(130, "interrupted");
    }
  }
}
