package dev.podpath.shell.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * With iptables-nft (1.8.9), Linux attaches conntrack to a network namespace, per address family,
 * only while some rule there needs it: a {@code conntrack}, {@code state} or {@code connmark}
 * match, a NAT target, {@code CONNMARK}, or {@code CT} other than {@code --notrack}; also in a
 * chain nothing jumps to. A NAT table or chain without such a rule is not enough, nor are {@code
 * NOTRACK}, {@code MARK} or {@code LOG}, nor an {@code ip6tables} rule for IPv4 traffic. When the
 * last such rule goes, new connections are no longer tracked; entries already made stay.
 *
 * <p>Every case is a lab: a UDP server on {@code s}, a datagram from {@code c}, then {@code
 * conntrack -L} on {@code s}. Each lab was run with {@code kernel-lab} on Linux 6.18
 * (conntrack-tools 1.4.7), where all its expectations held.
 */
class ConntrackOnDemandTest {

  @ParameterizedTest(name = "{1} entries after: {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'# no rule'|0",
        "iptables -t nat -N FOO|0",
        "iptables -t nat -A PREROUTING -j ACCEPT|0",
        "iptables -A INPUT -j LOG --log-prefix in|0",
        "iptables -t mangle -A PREROUTING -j MARK --set-mark 1|0",
        "iptables -t raw -A PREROUTING -s 1.2.3.4 -j NOTRACK|0",
        "iptables -t raw -A PREROUTING -s 1.2.3.4 -j CT --notrack|0",
        "ip6tables -A INPUT -m conntrack --ctstate NEW -j ACCEPT|0",
        "iptables -A INPUT -m conntrack --ctstate NEW -j ACCEPT|1",
        "iptables -A INPUT -m state --state INVALID -j DROP|1",
        "iptables -N UNUSED; iptables -A UNUSED -m conntrack --ctstate NEW -j ACCEPT|1",
        "iptables -t mangle -A PREROUTING -j CONNMARK --set-mark 1|1",
        "iptables -t mangle -A PREROUTING -m connmark --mark 0|1",
        "iptables -t nat -A POSTROUTING -o lo -j MASQUERADE|1",
        "iptables -t nat -A POSTROUTING -s 1.2.3.4 -j SNAT --to-source 1.2.3.5|1",
        "iptables -t nat -A PREROUTING -d 1.2.3.4 -j DNAT --to-destination 1.2.3.5|1",
        "iptables -t nat -A PREROUTING -d 1.2.3.4 -p tcp -j REDIRECT --to-ports 1|1",
        "iptables -A INPUT -m conntrack --ctstate NEW -j ACCEPT; iptables -F INPUT|0",
      })
  void aNamespaceTracksOnlyWhileARuleNeedsConntrack(String rules, int entries) {
    assertHolds(
        """
        host s eth0=10.0.0.1/24
        %s
        serve udp 53
        host c eth0=10.0.0.2/24
        probe udp sport 4010 to 10.0.0.1:53
        host s
        conntrack -L
        expect output "%d flow entries have been shown"
        """
            .formatted(rules, entries));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {"iptables -F INPUT", "iptables -D INPUT 1"})
  void entriesStayButNewConnectionsAreNotTrackedOnceTheLastSuchRuleGoes(String removal) {
    assertHolds(
        """
        host s eth0=10.0.0.1/24
        iptables -A INPUT -m conntrack --ctstate NEW -j ACCEPT
        serve udp 53
        host c eth0=10.0.0.2/24
        probe udp sport 4010 to 10.0.0.1:53
        host s
        %s
        host c
        probe udp sport 4011 to 10.0.0.1:53
        host s
        conntrack -L
        expect output "1 flow entries have been shown"
        expect output "sport=4010"
        """
            .formatted(removal));
  }

  /**
   * Bridged traffic seen by iptables ({@code bridge-nf-call-iptables=1}) follows the same rule: the
   * bridge's namespace tracks it only while a rule there needs conntrack.
   */
  @ParameterizedTest(name = "{1} entries after: {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'# no rule'|0",
        "iptables -A FORWARD -m conntrack --ctstate NEW -j ACCEPT|1",
        "iptables -t nat -A PREROUTING -j ACCEPT|0",
      })
  void bridgedTrafficIsTrackedOnlyWhileARuleNeedsConntrack(String rule, int entries) {
    assertHolds(
        """
        host r
        ip netns add a
        ip netns add b
        ip link add br0 type bridge
        ip link set br0 up
        ip link add pa type veth peer name e0 netns a
        ip link add pb type veth peer name e0 netns b
        ip link set pa master br0
        ip link set pb master br0
        ip link set pa up
        ip link set pb up
        ip -n a addr add 10.97.0.1/24 dev e0
        ip -n a link set e0 up
        ip -n b addr add 10.97.0.2/24 dev e0
        ip -n b link set e0 up
        sysctl -w net.bridge.bridge-nf-call-iptables=1
        %s
        serve udp 53 in b
        probe udp from a to 10.97.0.2:53
        expect delivered
        conntrack -L
        expect output "%d flow entries have been shown"
        """
            .formatted(rule, entries));
  }

  private static void assertHolds(String lab) {
    var out = new ByteArrayOutputStream();
    int rc =
        new LabRun(
                "t.lab",
                Path.of("."),
                new KernelLabWorld(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                LabRun.Format.TEXT)
            .run(lab);
    assertThat(rc).as(lab + "\n" + out.toString(StandardCharsets.UTF_8)).isZero();
  }
}
