package dev.podpath.shell.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole labs on the emulated kernel: output, exit codes and the messages a newcomer reads. */
class LabRunTest {

  record Run(int exitCode, String out, String err) {
    List<String> lines() {
      return Arrays.asList(out.split("\n"));
    }
  }

  static Run run(String lab, LabRun.Format format) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int rc =
        new LabRun(
                "t.lab",
                Path.of("."),
                new KernelLabWorld(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                format)
            .run(lab);
    return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Run run(String lab) {
    return run(lab, LabRun.Format.TEXT);
  }

  static final String TWO_HOSTS =
      """
      $ sudo host server eth0=10.0.0.1/24
      serve tcp 80
      host client eth0=10.0.0.2/24
      """;

  @Test
  void aLabWhoseExpectationsHoldExitsZeroAndSaysSo() {
    Run r =
        run(
            TWO_HOSTS
                + """
        probe tcp to 10.0.0.1:80
        expect delivered to server port 80 seen-from 10.0.0.2
        expect answered
        probe tcp to 10.0.0.1:81
        expect refused
        expect unanswered
        """);
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains(
            "t.lab:4: probe tcp to 10.0.0.1:80: delivered 1/1 to server 10.0.0.1:80 seen-from 10.0.0.2; answered 1/1")
        .contains("t.lab: all 4 expectations hold");
  }

  @Test
  void aFailedExpectationSaysWhereWhatWasExpectedAndWhatHappenedAndTheLabGoesOn() {
    Run r =
        run(
            TWO_HOSTS
                + """
        probe tcp to 10.0.0.1:80
        expect dropped
        expect delivered
        """);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "t.lab:5: expected dropped, got delivered 1/1 to server 10.0.0.1:80 seen-from 10.0.0.2; answered 1/1")
        .contains("t.lab: 1 of 2 expectations failed");
  }

  @Test
  void anUnknownCommandStopsTheLabBeforeItRunsWithASuggestion() {
    Run r = run("host a eth0=10.0.0.1/24\niptabels -A INPUT -j DROP\n");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("t.lab:2: unknown command 'iptabels' (did you mean 'iptables'?)\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aMalformedExpectationIsALabErrorWithItsLine() {
    Run r = run("expect delivered too server\n");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("t.lab:1: expect delivered: unexpected 'too'");
    assertThat(run("expect reachable\n").err())
        .startsWith("t.lab:1: expect: unknown expectation 'reachable'");
  }

  @Test
  void probeMistakesAndUndefinedVariablesNameTheLine() {
    assertThat(run("host a\nprobe tcp to 10.0.0.1\n").err())
        .isEqualTo("t.lab:2: probe tcp: 'to' needs ADDR:PORT\n");
    assertThat(run("probe tcp from nowhere to 10.0.0.1:80\n").err())
        .isEqualTo(
            "t.lab:1: no network namespace 'nowhere' on host host (and no host of that name)\n");
    assertThat(run("ip addr add $ADDR dev lo\n").err())
        .isEqualTo("t.lab:1: undefined variable $ADDR\n");
  }

  @Test
  void toolErrorsAreOutputThatExpectErrorChecks() {
    Run r =
        run(
            """
        ip link add br0 type bridge
        ip link add br0 type bridge
        expect error RTNETLINK answers: File exists
        ip link set nope up
        expect error Cannot find device "nope"
        ip link set lo up
        expect error
        """);
    assertThat(r.out())
        .contains("RTNETLINK answers: File exists")
        .contains("t.lab:7: expected error, got exit status 0");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void variablesHeredocsAndNamespacesWorkTogether() {
    Run r =
        run(
            """
        host node eth0=10.0.0.1/24
        NS=app
        ip netns add $NS
        ip link add veth0 type veth peer name ceth0 netns ${NS}
        ip netns exec $NS ip addr add 10.200.0.2/24 dev ceth0
        ip netns exec $NS ip -br addr show dev ceth0
        expect output 10.200.0.2/24
        ip -n app link set ceth0 up
        ip netns exec app iptables-restore <<EOF
        *filter
        :INPUT DROP [0:0]
        COMMIT
        EOF
        ip netns exec app iptables -S INPUT
        expect output -P INPUT DROP
        sysctl -w net.ipv4.ip_forward=1
        expect output net.ipv4.ip_forward = 1
        echo 0 > /proc/sys/net/ipv4/ip_forward
        cat /proc/sys/net/ipv4/ip_forward
        expect output 0
        """);
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("t.lab: all 4 expectations hold");
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void jsonModePrintsOneObjectPerProbeAndPerFailedExpectation() throws Exception {
    Run r =
        run(
            TWO_HOSTS
                + """
        probe tcp to 10.0.0.1:80 count 3
        expect dropped
        """,
            LabRun.Format.JSON);
    List<String> lines = r.lines();
    assertThat(lines).hasSize(2);
    JsonNode probe = new ObjectMapper().readTree(lines.get(0));
    assertThat(probe.get("line").asInt()).isEqualTo(4);
    assertThat(probe.get("attempts").asInt()).isEqualTo(3);
    assertThat(probe.get("outcomes").get("delivered").asInt()).isEqualTo(3);
    assertThat(probe.get("deliveries").get(0).get("to").asText()).isEqualTo("server");
    assertThat(probe.get("deliveries").get(0).get("seenFrom").asText()).isEqualTo("10.0.0.2");
    assertThat(probe.get("answered").asInt()).isEqualTo(3);
    assertThat(probe.get("source").asText()).isEqualTo("podpath");
    JsonNode failure = new ObjectMapper().readTree(lines.get(1));
    assertThat(failure.get("ok").asBoolean()).isFalse();
    assertThat(failure.get("expect").asText()).isEqualTo("dropped");
    assertThat(failure.get("message").asText())
        .startsWith("t.lab:5: expected dropped, got delivered 3/3");
  }

  @Test
  void exploreGivesExactSharesAndTraceShowsEveryPath() {
    Run r =
        run(
            """
        host b1 eth0=10.0.0.11/24
        serve tcp 8080
        host b2 eth0=10.0.0.12/24
        serve tcp 8080
        host c eth0=10.0.0.1/24
        ip route add 172.30.0.10 dev eth0
        iptables -t nat -A OUTPUT -d 172.30.0.10 -p tcp -m statistic --mode random --probability 0.25 -j DNAT --to-destination 10.0.0.11:8080
        iptables -t nat -A OUTPUT -d 172.30.0.10 -p tcp -j DNAT --to-destination 10.0.0.12:8080
        probe tcp to 172.30.0.10:80 explore
        expect share b1 25%
        expect share b2 75%
        expect hit nat/OUTPUT
        trace
        """);
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("delivered 75% to b2 10.0.0.12:8080 seen-from 10.0.0.1; delivered 25% to b1")
        .contains("path 1 (probability 25%): delivered to b1 10.0.0.11:8080")
        .contains(
            "host c",
            "namespace c (root)",
            "hook OUTPUT",
            "table nat",
            "chain OUTPUT",
            "rule 1: -A OUTPUT -d 172.30.0.10/32 -p tcp -m statistic --mode random --probability 0.25000000000 -j DNAT --to-destination 10.0.0.11:8080",
            "outcome: delivered");
  }

  @Test
  void rejectLogHitAndPingAreJudgedOnTheLastProbe() {
    Run r =
        run(
            TWO_HOSTS
                + """
        host server
        iptables -N GUARD
        iptables -A GUARD -j LOG --log-prefix "guard: "
        iptables -A GUARD -p tcp -j REJECT --reject-with tcp-reset
        iptables -A INPUT -p tcp --dport 80 -j GUARD
        host client
        probe tcp to 10.0.0.1:80
        expect rejected
        expect log guard
        expect hit filter/GUARD
        expect hit INPUT
        ping -c 2 10.0.0.1
        expect delivered to server
        expect answered
        ip netns add side
        ip netns exec side ping 10.0.0.1
        expect unreachable
        """);
    assertThat(r.out()).doesNotContain("expected");
    assertThat(r.exitCode()).isZero();
  }

  /**
   * {@code expect hit} holds for a chain the packet entered even when none of its rules matched (it
   * came back to the rule after the jump), and not for a chain it never entered. The same two labs
   * give the same verdicts on the real kernel (kernel-lab, which reads the jump rule's counter).
   */
  @Test
  void aChainJumpedIntoWithoutAMatchingRuleIsHit() {
    String setup =
        """
        host a eth0=10.0.0.1/24
        host b eth0=10.0.0.2/24
        iptables -N CHECK
        iptables -A CHECK -p udp -j DROP
        iptables -N UNUSED
        iptables -A INPUT -p udp -j UNUSED
        iptables -A INPUT -p tcp -j CHECK
        serve tcp 80
        host a
        probe tcp to 10.0.0.2:80
        expect delivered
        """;
    Run hit = run(setup + "expect hit filter/INPUT\nexpect hit filter/CHECK\nexpect hit CHECK\n");
    assertThat(hit.exitCode()).as(hit.out()).isZero();
    Run miss = run(setup + "expect hit filter/UNUSED\n");
    assertThat(miss.exitCode()).isEqualTo(1);
    assertThat(miss.out()).contains("expected hit filter/UNUSED");
  }

  @Test
  void traceInJsonModeIsTheSameTreeAsData() throws Exception {
    Run r =
        run(
            TWO_HOSTS
                + """
        probe tcp to 10.0.0.1:80 explore
        trace
        """,
            LabRun.Format.JSON);
    List<String> lines = r.lines();
    assertThat(lines).hasSize(2);
    JsonNode probe = new ObjectMapper().readTree(lines.get(0));
    assertThat(probe.get("probabilities").get("delivered").asDouble()).isEqualTo(1.0);
    JsonNode trace = new ObjectMapper().readTree(lines.get(1));
    JsonNode path = trace.get("paths").get(0);
    assertThat(path.get("outcome").asText()).isEqualTo("delivered");
    assertThat(path.get("hops").get(0).get("host").asText()).isEqualTo("client");
    assertThat(path.get("hops").findValuesAsText("type"))
        .contains("route", "hook", "transmit", "receive", "deliver");
    assertThat(path.has("replyHops")).isTrue();
  }

  @Test
  void aNamespaceOfAnotherHostIsFoundByItsNameWhenOnlyOneHostHasIt() {
    Run r =
        run(
            """
        host a eth0=10.0.0.1/24
        ip netns add web
        ip link add v0 type veth peer name v1 netns web
        ip addr add 10.9.0.1/24 dev v0
        ip link set v0 up
        ip -n web addr add 10.9.0.2/24 dev v1
        ip -n web link set v1 up
        serve tcp 80 in web
        host b eth0=10.0.0.2/24
        ip netns add web
        probe tcp from a/web to 10.9.0.1:22
        expect refused
        host c
        probe tcp from web to 10.0.0.9:1
        """);
    assertThat(r.err())
        .isEqualTo(
            "t.lab:14: network namespace 'web' is on several hosts (a, b): name it HOST/web\n");
  }
}
