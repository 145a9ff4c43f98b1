package dev.podpath.kernel.netfilter;

import static dev.podpath.kernel.netfilter.Pk.ip;
import static dev.podpath.kernel.netfilter.Pk.syn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.Protocol;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Source ports under MASQUERADE, checked on Linux 6.18 with the router of {@link NatTest} (the
 * server printed the source it saw): {@code --random-fully} gave 62428 and 61360 for client ports
 * 5010 and 5011; {@code -p tcp --to-ports 20000-20010} gave 20008 and 20001; a plain MASQUERADE
 * kept port 800 for the first client and gave the second, clashing one 680 (600–1023); port 300
 * clashed into 5 (1–511).
 */
class PortAllocationTest {

  static Stream<Arguments> cases() {
    Target.Masquerade plain = Target.Masquerade.plain();
    return Stream
        .of( // target, first client port, second client's (clashing) port, range the ports land in
            Arguments.of(
                "--random-fully",
                new Target.Masquerade(Optional.empty(), false, true),
                5010,
                5011,
                new PortRange(1024, 65535),
                false),
            Arguments.of(
                "--to-ports 20000-20010",
                new Target.Masquerade(Optional.of(new PortRange(20000, 20010)), false, false),
                5012,
                5013,
                new PortRange(20000, 20010),
                false),
            Arguments.of(
                "plain, port 800 clashing", plain, 800, 800, new PortRange(600, 1023), true),
            Arguments.of("plain, port 300 clashing", plain, 300, 300, new PortRange(1, 511), true),
            Arguments.of(
                "plain, port 5000 clashing", plain, 5000, 5000, new PortRange(1024, 65535), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void masqueradedSourcePorts(
      String name,
      Target.Masquerade masq,
      int firstPort,
      int secondPort,
      PortRange range,
      boolean firstKeepsItsPort) {
    Harness h = new Harness().address("rc", "10.1.0.1/24").address("rs", "10.2.0.1/24");
    h.append(
        TableName.NAT,
        "POSTROUTING",
        "-A POSTROUTING -o rs -p tcp -j MASQUERADE " + name,
        masq,
        new Match.OutInterface("rs", false),
        Pk.proto(Protocol.TCP));
    int a = h.forward(syn("10.1.0.2", firstPort, "10.2.0.2", 80), "rc", "rs").packet().srcPort();
    var second = h.forward(syn("10.1.0.3", secondPort, "10.2.0.2", 80), "rc", "rs").packet();
    assertThat(second.src()).isEqualTo(ip("10.2.0.1"));
    int b = second.srcPort();
    assertThat(a).isNotEqualTo(b);
    if (firstKeepsItsPort) {
      assertThat(a).isEqualTo(firstPort);
      assertThat(range.contains(b)).as("port %d in %s", b, range).isTrue();
    } else {
      assertThat(range.contains(a) && range.contains(b))
          .as("ports %d, %d in %s", a, b, range)
          .isTrue();
    }
  }
}
