package dev.podpath.kernel.netfilter;

import static dev.podpath.kernel.netfilter.Pk.ip;
import static dev.podpath.kernel.netfilter.Pk.proto;
import static dev.podpath.kernel.netfilter.Pk.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.Exploration;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Step;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How a NAT address range hands out addresses, as Linux's {@code nf_nat_core.c} does it: by a hash
 * of the client and server addresses (only the client's under {@code --persistent}), so a client
 * gets the same translated address every time it talks to a server, and a connection from a source
 * address and port that already has a source mapping keeps that mapping ({@code
 * find_appropriate_src}). The expectations are what Linux 6.18 did (the golden file {@code
 * nat/range-hash-linux-6.18.txt} and the comments below), in a router namespace {@code r} between a
 * client namespace (10.1.0.2-40) and a server namespace (10.2.0.2-9).
 */
class NatRangeTest {

  private static final String GOLDEN = "/nat/range-hash-linux-6.18.txt";

  static final Pattern FLOW =
      Pattern.compile(
          "src=(\\S+) dst=(\\S+) sport=(\\d+) dport=(\\d+) \\[UNREPLIED] src=(\\S+) dst=(\\S+)"
              + " sport=(\\d+) dport=(\\d+) .*");

  private static Harness snatRouter(boolean persistent) {
    return new Harness()
        .address("rc", "10.1.0.1/24")
        .address("rs", "10.2.0.1/24")
        .append(
            TableName.NAT,
            "POSTROUTING",
            "-A POSTROUTING -o rs -p udp -j SNAT --to-source 10.9.0.10-10.9.0.19"
                + (persistent ? " --persistent" : ""),
            new Target.Snat(range("10.9.0.10", "10.9.0.19"), false, false, persistent),
            new Match.OutInterface("rs", false),
            proto(Protocol.UDP));
  }

  private static Harness dnatRouter() {
    return new Harness()
        .address("rc", "10.1.0.1/24")
        .address("rs", "10.2.0.1/24")
        .append(
            TableName.NAT,
            "PREROUTING",
            "-A PREROUTING -i rc -p udp -j DNAT --to-destination 10.2.0.2-10.2.0.9",
            new Target.Dnat(range("10.2.0.2", "10.2.0.9"), false, false),
            new Match.InInterface("rc", false),
            proto(Protocol.UDP));
  }

  private static Target.NatRange range(String first, String last) {
    return new Target.NatRange(Optional.of(ip(first)), Optional.of(ip(last)), Optional.empty());
  }

  /** The router of one golden section, with that section's rule. */
  private static Harness routerFor(String section) {
    Harness h =
        new Harness()
            .address("rc", "10.1.0.1/24")
            .address("rs", "10.2.0.1/24")
            .address("rc", "fd01::1/64")
            .address("rs", "fd02::1/64");
    String rule = section.substring(section.indexOf("-A "));
    Matcher m =
        Pattern.compile(".*--to-(?:source|destination) (\\S+?)-(\\S+?)(?: .*)?").matcher(rule);
    assertThat(m.matches()).as("range in %s", rule).isTrue();
    Target.NatRange range = range(m.group(1), m.group(2));
    IpFamily family = section.startsWith("ip6tables") ? IpFamily.IPV6 : IpFamily.IPV4;
    if (rule.contains("DNAT")) {
      return h.append(
          family,
          TableName.NAT,
          "PREROUTING",
          rule,
          new Target.Dnat(range, false, false),
          new Match.InInterface("rc", false),
          proto(Protocol.UDP));
    }
    return h.append(
        family,
        TableName.NAT,
        "POSTROUTING",
        rule,
        new Target.Snat(range, false, false, rule.contains("--persistent")),
        new Match.OutInterface("rs", false),
        proto(Protocol.UDP));
  }

  /**
   * Every flow of a golden section gets the reply tuple Linux gave it, including IPv6's quirk: a
   * range whose 32-bit words differ before the last can hand out addresses outside the range.
   */
  @ParameterizedTest
  @MethodSource("sections")
  void everyFlowGetsTheAddressLinuxHashedItTo(String section) throws IOException {
    List<String> flows = golden().get(section);
    Harness h = routerFor(section);
    for (String line : flows) {
      Matcher m = FLOW.matcher(line);
      assertThat(m.matches()).as("golden line %s", line).isTrue();
      Packet out =
          udp(m.group(1), Integer.parseInt(m.group(3)), m.group(2), Integer.parseInt(m.group(4)));
      h.forward(out, "rc", "rs");
    }
    List<String> ours =
        h.nf.conntrack().list().stream()
            .map(r -> r.toString().replaceFirst("^udp +17 \\d+ ", ""))
            .toList();
    assertThat(ours).containsExactlyInAnyOrderElementsOf(flows);
  }

  static List<String> sections() throws IOException {
    var keys = List.copyOf(golden().keySet());
    assertThat(keys).hasSize(5);
    return keys;
  }

  @Test
  void theSameClientAndServerAlwaysGetTheSameAddressSoTheChoiceIsNotARandomBranch() {
    Harness h = snatRouter(false);
    var snap = h.nf.save();
    var branches =
        Exploration.explore(
            ch -> {
              h.nf.restore(snap);
              return h.send(
                      Harness.Path.FORWARD,
                      udp("10.1.0.2", 7001, "10.2.0.2", 53),
                      Optional.of("rc"),
                      Optional.of("rs"),
                      ch)
                  .packet()
                  .src()
                  .toString();
            },
            10);
    // real: src=10.1.0.2 dst=10.2.0.2 sport=7001 dport=53 ... dst=10.9.0.14 (golden file)
    assertThat(branches)
        .singleElement()
        .satisfies(b -> assertThat(b.result()).isEqualTo("10.9.0.14"));
    for (int sport = 20000; sport < 20010; sport++) {
      assertThat(h.forward(udp("10.1.0.2", sport, "10.2.0.2", 53), "rc", "rs").packet().src())
          .isEqualTo(ip("10.9.0.14"));
    }
  }

  /** Real (golden file): under --persistent 10.1.0.2 got 10.9.0.11 towards every server. */
  @Test
  void underPersistentAClientGetsOneAddressWhateverTheServerAndTheTraceSaysWhy() {
    Harness h = snatRouter(true);
    for (String server : List.of("10.2.0.3", "10.2.0.5", "10.2.0.9")) {
      assertThat(h.forward(udp("10.1.0.2", 7002, server, 53), "rc", "rs").packet().src())
          .isEqualTo(ip("10.9.0.11"));
    }
    var r = h.forward(udp("10.1.0.2", 7001, "10.2.0.2", 53), "rc", "rs");
    assertThat(r.steps())
        .contains(
            new Step.Note(
                "NAT: 10.9.0.11 of 10.9.0.10-10.9.0.19 by the hash of source 10.1.0.2"
                    + " (--persistent)"));
  }

  /**
   * Real: 10.1.0.2:6000 to 10.2.0.2:53 got 10.9.0.14:6000; then 10.1.0.2:6000 to 10.2.0.3:53 got
   * 10.9.0.14:6000 again, where its hash gives 10.9.0.17 (as 10.1.0.2:6001 to 10.2.0.3:53 got).
   */
  @Test
  void aSourceAddressAndPortKeepTheirMappingForANewDestination() {
    Harness h = snatRouter(false);
    assertThat(h.forward(udp("10.1.0.2", 6000, "10.2.0.2", 53), "rc", "rs").packet())
        .isEqualTo(udp("10.9.0.14", 6000, "10.2.0.2", 53));
    var second = h.forward(udp("10.1.0.2", 6000, "10.2.0.3", 53), "rc", "rs");
    assertThat(second.packet()).isEqualTo(udp("10.9.0.14", 6000, "10.2.0.3", 53));
    assertThat(second.steps())
        .contains(
            new Step.Note(
                "NAT: 10.1.0.2:6000 keeps the source mapping of its earlier connection,"
                    + " 10.9.0.14:6000"));
    assertThat(h.forward(udp("10.1.0.2", 6001, "10.2.0.3", 53), "rc", "rs").packet().src())
        .isEqualTo(ip("10.9.0.17"));
  }

  /**
   * Real: 10.1.0.2:6000 to 10.2.0.2 took 10.9.0.14:6000; 10.1.0.14:6000 to 10.2.0.3 hashed to
   * 10.9.0.14 and took 10.9.0.14:6000 towards 10.2.0.3; 10.1.0.2:6000 to 10.2.0.3 could not keep
   * its mapping (taken towards that server) and got its own hash's 10.9.0.17:6000.
   */
  @Test
  void anEarlierMappingThatWouldClashIsNotReused() {
    Harness h = snatRouter(false);
    h.forward(udp("10.1.0.2", 6000, "10.2.0.2", 53), "rc", "rs");
    assertThat(h.forward(udp("10.1.0.14", 6000, "10.2.0.3", 53), "rc", "rs").packet())
        .isEqualTo(udp("10.9.0.14", 6000, "10.2.0.3", 53));
    assertThat(h.forward(udp("10.1.0.2", 6000, "10.2.0.3", 53), "rc", "rs").packet())
        .isEqualTo(udp("10.9.0.17", 6000, "10.2.0.3", 53));
  }

  /**
   * Real, with {@code -A POSTROUTING -o rs -p udp -j MASQUERADE}: 10.1.0.2:6000 to 10.2.0.2 kept
   * port 6000; 10.1.0.3:6000 to 10.2.0.2 clashed and was moved to 16870 (a random port); then
   * 10.1.0.3:6000 to 10.2.0.3 kept 16870, although 6000 was free towards that server, and
   * 10.1.0.4:6000 to 10.2.0.3 got 6000.
   */
  @Test
  void aMasqueradedClientKeepsItsReallocatedPortTowardsOtherServers() {
    Harness h =
        new Harness()
            .address("rc", "10.1.0.1/24")
            .address("rs", "10.2.0.1/24")
            .append(
                TableName.NAT,
                "POSTROUTING",
                "-A POSTROUTING -o rs -p udp -j MASQUERADE",
                Target.Masquerade.plain(),
                new Match.OutInterface("rs", false),
                proto(Protocol.UDP));
    assertThat(h.forward(udp("10.1.0.2", 6000, "10.2.0.2", 53), "rc", "rs").packet().srcPort())
        .isEqualTo(6000);
    int moved = h.forward(udp("10.1.0.3", 6000, "10.2.0.2", 53), "rc", "rs").packet().srcPort();
    assertThat(moved).isNotEqualTo(6000).isBetween(1024, 65535);
    assertThat(h.forward(udp("10.1.0.3", 6000, "10.2.0.3", 53), "rc", "rs").packet())
        .isEqualTo(udp("10.2.0.1", moved, "10.2.0.3", 53));
    assertThat(h.forward(udp("10.1.0.4", 6000, "10.2.0.3", 53), "rc", "rs").packet())
        .isEqualTo(udp("10.2.0.1", 6000, "10.2.0.3", 53));
  }

  @Test
  void underRandomFullyTheEarlierMappingIsNotLookedFor() {
    Harness h =
        new Harness()
            .address("rc", "10.1.0.1/24")
            .address("rs", "10.2.0.1/24")
            .append(
                TableName.NAT,
                "POSTROUTING",
                "-A POSTROUTING -o rs -p udp -j SNAT --to-source 10.9.0.10-10.9.0.19 --random-fully",
                new Target.Snat(range("10.9.0.10", "10.9.0.19"), false, true, false),
                new Match.OutInterface("rs", false),
                proto(Protocol.UDP));
    h.forward(udp("10.1.0.2", 6000, "10.2.0.2", 53), "rc", "rs");
    var second = h.forward(udp("10.1.0.2", 6000, "10.2.0.3", 53), "rc", "rs");
    // the address is still the hash's (--random-fully moves only the port)
    assertThat(second.packet().src()).isEqualTo(ip("10.9.0.17"));
    assertThat(second.steps())
        .noneMatch(s -> s instanceof Step.Note n && n.text().contains("keeps the source mapping"));
  }

  static Map<String, List<String>> golden() throws IOException {
    Map<String, List<String>> sections = new LinkedHashMap<>();
    try (InputStream in = NatRangeTest.class.getResourceAsStream(GOLDEN)) {
      assertThat(in).as("test resource %s", GOLDEN).isNotNull();
      List<String> current = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("== ")) {
          current = new ArrayList<>();
          sections.put(line.substring("== ".length()), current);
        } else if (!line.startsWith("#") && !line.isBlank()) {
          current.add(line);
        }
      }
    }
    return sections;
  }
}
