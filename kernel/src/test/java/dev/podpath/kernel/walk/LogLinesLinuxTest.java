package dev.podpath.kernel.walk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.embedded.EmbeddedWorld;
import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.SampledChooser;
import dev.podpath.net.trace.Step;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The LOG target writes the line Linux writes: the same runs as on Linux 6.18 (the golden file
 * {@code log/log-lines-linux-6.18.txt}, which says what was run), replayed through podpath's walk,
 * give the same lines in the same order. Before comparing, the real lines get podpath's hardware
 * addresses for the same devices and have the values podpath does not model set to what podpath
 * writes for them (IP id, TCP sequence numbers, ICMP echo sequence, IPv6 flow label: 0; TCP
 * options: not printed); every field, its order and its form are compared. There is no root-only
 * replay on the real kernel (as {@code NatRangeRealKernelTest} does for NAT): a namespace other
 * than the first logs only while the machine-wide {@code net.netfilter.nf_log_all_netns} is 1, and
 * concurrent runs setting and restoring it would race and could leave it on.
 */
class LogLinesLinuxTest {

  private static final String GOLDEN = "/log/log-lines-linux-6.18.txt";

  private final EmbeddedWorld w = new EmbeddedWorld();

  @BeforeEach
  void topology() {
    w.netns("host/c");
    w.netns("host/r");
    w.netns("host/s");
    w.veth("host/c", "c0", "10.1.0.2/24", "host/r", "rc", "10.1.0.1/24");
    w.veth("host/r", "rs", "10.2.0.1/24", "host/s", "s0", "10.2.0.2/24");
    w.addr("host/c", "c0", "fd01::2/64").addr("host/r", "rc", "fd01::1/64");
    w.addr("host/r", "rs", "fd02::1/64").addr("host/s", "s0", "fd02::2/64");
    w.route("host/c", "default via 10.1.0.1").route("host/s", "default via 10.2.0.1");
    w.route("host/c", "::/0 via fd01::1").route("host/s", "::/0 via fd02::1");
    w.sysctl("host/r", "net.ipv4.ip_forward", "1");
    w.sysctl("host/r", "net.ipv6.conf.all.forwarding", "1");
  }

  @Test
  void theFirstRunLogsWhatLinuxLogged() throws IOException {
    log("host/c", TableName.FILTER, "OUTPUT", "knat-out: ", Set.of());
    log("host/r", TableName.MANGLE, "PREROUTING", "knat-pre: ", Set.of(), in("rc"));
    log("host/r", TableName.FILTER, "FORWARD", "knat-fwd: ", Set.of());
    log(
        "host/r",
        TableName.FILTER,
        "FORWARD",
        "knat-seq: ",
        Set.of(Target.LogFlag.TCP_SEQUENCE, Target.LogFlag.TCP_OPTIONS, Target.LogFlag.IP_OPTIONS),
        proto(Protocol.TCP));
    log("host/s", TableName.FILTER, "INPUT", "knat-in: ", Set.of());
    log("host/s", TableName.FILTER, "OUTPUT", "knat-sout: ", Set.of());
    var lines = new ArrayList<String>();
    lines.addAll(exchange("host/c", Packet.tcpSyn(ip("10.1.0.2"), 40000, ip("10.2.0.2"), 80)));
    lines.addAll(
        exchange(
            "host/c",
            Packet.udp(ip("10.1.0.2"), 40001, ip("10.2.0.2"), 5353).toBuilder()
                .length(33)
                .build()));
    lines.addAll(
        exchange(
            "host/c",
            Packet.echoRequest(ip("10.1.0.2"), ip("10.2.0.2"), 0x1234).toBuilder()
                .length(36)
                .build()));
    assertThat(lines).containsExactlyElementsOf(golden("first run"));
  }

  @Test
  void theSecondRunLogsWhatLinuxLogged() throws IOException {
    log("host/c", TableName.FILTER, "OUTPUT", "knat-uid: ", Set.of(Target.LogFlag.UID), tcp());
    log("host/c", TableName.FILTER, "INPUT", "knat-cin: ", Set.of(), tcp());
    append(
        "host/r",
        IpFamily.IPV4,
        TableName.MANGLE,
        "PREROUTING",
        Target.Mark.setMark(0x2a),
        in("rc"),
        tcp(),
        dport(8080));
    log("host/r", TableName.FILTER, "FORWARD", "knat-mark: ", Set.of(), tcp(), dport(8080));
    log(
        "host/r",
        TableName.FILTER,
        "FORWARD",
        "knat-macd: ",
        Set.of(Target.LogFlag.MACDECODE),
        tcp(),
        new Match.Tcp(
            Optional.of(Negatable.of(PortRange.of(8080))), Optional.empty(), Optional.empty()));
    append(
        "host/r",
        IpFamily.IPV6,
        TableName.FILTER,
        "FORWARD",
        new Target.Log("knat-v6: ", 4, Set.of()));
    log("host/s", TableName.FILTER, "OUTPUT", "knat-synack: ", Set.of(), tcp());
    log("host/s", TableName.FILTER, "INPUT", "knat-lo: ", Set.of(), in("lo"));
    w.listen("host/s", "tcp", 8080);
    var lines = new ArrayList<String>();
    lines.addAll(exchange("host/c", Packet.tcpSyn(ip("10.1.0.2"), 41000, ip("10.2.0.2"), 8080)));
    lines.addAll(exchange("host/s", Packet.tcpSyn(ip("127.0.0.1"), 52956, ip("127.0.0.1"), 1)));
    lines.addAll(
        exchange(
            "host/c",
            Packet.udp(ip("fd01::2"), 41001, ip("fd02::2"), 5353).toBuilder().length(53).build()));
    lines.addAll(
        exchange(
            "host/c",
            Packet.tcpSyn(ip("fd01::2"), 41002, ip("fd02::2"), 80).toBuilder().length(80).build()));
    assertThat(lines).containsExactlyElementsOf(golden("second run"));
  }

  /** The LOG lines of a packet sent from {@code ns} and of the answer walked back to it. */
  private List<String> exchange(String ns, Packet p) {
    var walker = w.prober().walker();
    Journey there = walker.send(w.ns(ns), p, new SampledChooser(1));
    var lines = new ArrayList<>(logs(there));
    if (there.response().isPresent() && there.responder().isPresent()) {
      lines.addAll(
          logs(
              walker.send(there.responder().get(), there.response().get(), new SampledChooser(1))));
    }
    return lines;
  }

  private static List<String> logs(Journey j) {
    return j.trace()
        .steps()
        .filter(s -> s instanceof Step.Log)
        .map(s -> ((Step.Log) s).line())
        .toList();
  }

  private void log(
      String ns,
      TableName table,
      String chain,
      String prefix,
      Set<Target.LogFlag> flags,
      Match... m) {
    append(ns, IpFamily.IPV4, table, chain, new Target.Log(prefix, 4, flags), m);
  }

  private void append(
      String ns, IpFamily family, TableName table, String chain, Target target, Match... m) {
    NetNamespace n = w.ns(ns);
    var t = n.netfilter().table(family, table);
    Chain c = t.requireChain(chain);
    n.netfilter().commit(t.withChain(c.append(Rule.of("-A " + chain + " (test)", target, m))));
  }

  private static Match in(String dev) {
    return new Match.InInterface(dev, false);
  }

  private static Match proto(Protocol p) {
    return new Match.Proto(p, false);
  }

  private static Match tcp() {
    return proto(Protocol.TCP);
  }

  private static Match dport(int port) {
    return new Match.Tcp(
        Optional.empty(), Optional.of(Negatable.of(PortRange.of(port))), Optional.empty());
  }

  private static IpAddress ip(String s) {
    return IpAddress.parse(s);
  }

  /**
   * The real lines of one run with podpath's hardware addresses and podpath's values for what it
   * does not model.
   */
  private List<String> golden(String run) throws IOException {
    String text;
    try (InputStream in = LogLinesLinuxTest.class.getResourceAsStream(GOLDEN)) {
      assertThat(in).as("test resource %s", GOLDEN).isNotNull();
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, String> macs = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    String section = "";
    for (String line : text.split("\n")) {
      if (line.startsWith("macs ")) {
        for (String pair : line.substring(5).split(" ")) {
          String[] kv = pair.split("=");
          macs.put(kv[1], ourMac(kv[0]));
        }
      } else if (line.startsWith("== ")) {
        section = line.substring(3);
      } else if (section.equals(run) && !line.startsWith("#") && !line.isBlank()) {
        lines.add(line);
      }
    }
    assertThat(lines).as("golden lines of %s", run).isNotEmpty();
    return lines.stream().map(l -> normalize(l, macs)).toList();
  }

  private String ourMac(String device) {
    String ns =
        switch (device) {
          case "c0" -> "host/c";
          case "s0" -> "host/s";
          default -> "host/r";
        };
    return w.link(ns, device).mac().toString();
  }

  private static String normalize(String line, Map<String, String> macs) {
    String out = line;
    for (var e : macs.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out.replaceAll("TTL=(\\d+) ID=\\d+", "TTL=$1 ID=0")
        .replaceAll("SEQ=\\d+ ACK=\\d+", "SEQ=0 ACK=0")
        .replaceAll("TYPE=(0|8) CODE=0 ID=(\\d+) SEQ=\\d+", "TYPE=$1 CODE=0 ID=$2 SEQ=0")
        .replaceAll("FLOWLBL=\\d+", "FLOWLBL=0")
        .replaceAll(" OPT \\([0-9A-F]*\\)", "")
        .stripTrailing();
  }
}
