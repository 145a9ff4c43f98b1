package dev.podpath.cli.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.dns.server.ClusterDns;
import dev.podpath.dns.server.DnsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * {@code podpath dns query} prints what the real {@code dig +noedns} prints, from the header line
 * to the last section, byte for byte (the message id masked): both ask the same answers of the same
 * cluster, dig through the real server. Skipped when dig is absent ({@code .ci/run} installs it).
 */
class DigFormatTest {

  static final List<String> QUERIES =
      List.of(
          "web.shop.svc.cluster.local A",
          "db.shop.svc.cluster.local A",
          "db-0.db.shop.svc.cluster.local A",
          "_http._tcp.web.shop.svc.cluster.local SRV",
          "payments.shop.svc.cluster.local A",
          "nope.shop.svc.cluster.local A",
          "web.shop.svc.cluster.local AAAA",
          "cluster.local SOA",
          "cluster.local NS",
          "dns-version.cluster.local TXT",
          "20.0.96.10.in-addr.arpa PTR",
          "a.b A");

  static Optional<Path> dig() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, "dig");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** dig's output from the header line to the last section, the id masked. */
  static String realDig(Path dig, InetSocketAddress at, String name, String type) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                dig.toString(),
                "@" + at.getAddress().getHostAddress(),
                "-p",
                String.valueOf(at.getPort()),
                "+noedns",
                "+time=3",
                "+tries=1",
                name,
                type));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int from = out.indexOf(";; ->>HEADER<<-");
    int to = out.indexOf("\n;; Query time:");
    assertThat(from).as(out).isNotNegative();
    return out.substring(from, to).replaceFirst(", id: \\d+", ", id: 0").stripTrailing() + "\n";
  }

  @Test
  void queryPrintsWhatDigPrintsForTheSameAnswer() throws Exception {
    Optional<Path> dig = dig();
    Assumptions.assumeTrue(
        dig.isPresent(), "dig not installed (apt-get install dnsutils): skipping the comparison");
    DnsInputs inputs = new DnsInputs();
    inputs.files = List.of("../examples/dns/shop.yaml");
    DnsInputs.Loaded loaded = inputs.load();
    ClusterDns dns = inputs.dns(loaded.feed(), inputs.options(loaded.domain(), List.of()), () -> 1);
    try (DnsServer server =
        DnsServer.start(
            dns,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            DnsServer.Limits.DEFAULT)) {
      for (String query : QUERIES) {
        String[] q = query.split(" ");
        Message m =
            Message.newQuery(
                Record.newRecord(Name.fromString(q[0], Name.root), Type.value(q[1]), DClass.IN));
        m.getHeader().setID(0);
        assertThat(DigFormat.render(dns.handle(m)))
            .as(query)
            .isEqualTo(realDig(dig.get(), server.address(), q[0], q[1]));
      }
    }
  }
}
