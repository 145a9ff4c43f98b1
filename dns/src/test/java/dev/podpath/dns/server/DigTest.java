package dev.podpath.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

/** The real {@code dig} against the real server, over UDP and TCP (skipped when dig is absent). */
class DigTest {

  private static Optional<Path> dig() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, "dig");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static String run(Path dig, InetSocketAddress at, String... args)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                dig.toString(),
                "@" + at.getAddress().getHostAddress(),
                "-p",
                String.valueOf(at.getPort()),
                "+time=3",
                "+tries=1"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void digResolvesAServiceAndAStatefulSetPodOverUdpAndTcp() throws Exception {
    Optional<Path> dig = dig();
    Assumptions.assumeTrue(
        dig.isPresent(), "dig not installed (apt-get install dnsutils): skipping the dig test");
    try (DnsServer server =
        DnsServer.start(
            Shop.dns(Shop.cluster(), Optional.empty()),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            DnsServer.Limits.DEFAULT)) {
      String web = run(dig.get(), server.address(), "web.shop.svc.cluster.local");
      assertThat(web)
          .contains("status: NOERROR")
          .contains("flags: qr aa rd")
          .containsPattern(
              "web\\.shop\\.svc\\.cluster\\.local\\.\\s+30\\s+IN\\s+A\\s+10\\.96\\.0\\.20");
      String pod = run(dig.get(), server.address(), "+tcp", "db-0.db.shop.svc.cluster.local");
      assertThat(pod)
          .containsPattern(
              "db-0\\.db\\.shop\\.svc\\.cluster\\.local\\.\\s+30\\s+IN\\s+A\\s+10\\.244\\.2\\.7");
      String srv = run(dig.get(), server.address(), "_pg._tcp.db.shop.svc.cluster.local", "SRV");
      assertThat(srv)
          .containsPattern("SRV\\s+0 100 5432 db-0\\.db\\.shop\\.svc\\.cluster\\.local\\.")
          .contains("ADDITIONAL SECTION");
      String missing = run(dig.get(), server.address(), "nope.shop.svc.cluster.local");
      assertThat(missing)
          .contains("status: NXDOMAIN")
          .contains("ns.dns.cluster.local. hostmaster.cluster.local.");
    }
  }
}
