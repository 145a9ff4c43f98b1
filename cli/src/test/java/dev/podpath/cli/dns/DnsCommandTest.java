package dev.podpath.cli.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code podpath dns} commands on the examples, as a newcomer would run them. */
class DnsCommandTest {

  private static final String EXAMPLES = "../examples/dns/";

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new Main())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void queryPrintsTheAnswerAsDigDoes() {
    Run r = run("dns", "query", "-f", EXAMPLES + "shop.yaml", "web.shop.svc.cluster.local");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("status: NOERROR, id: 0")
        .contains("flags: qr aa rd;")
        .containsPattern(
            "web\\.shop\\.svc\\.cluster\\.local\\.\\s+30\\s+IN\\s+A\\s+10\\.96\\.0\\.20");
  }

  @Test
  void queryFromAPodShowsTheSearchListWalk() {
    Run r =
        run(
            "dns",
            "query",
            "-f",
            EXAMPLES + "shop.yaml",
            "--from",
            "pod/shop/client",
            "db.default");
    assertThat(r.out())
        .contains("1. db.default.shop.svc.cluster.local. A -> NXDOMAIN")
        .contains("2. db.default.svc.cluster.local. A -> NXDOMAIN")
        .contains("3. db.default.cluster.local. A -> NXDOMAIN")
        .contains("no answer: the lookup fails");
  }

  @Test
  void aStatefulSetPodResolvesByItsHostname() {
    Run r =
        run(
            "dns",
            "query",
            "-f",
            EXAMPLES + "statefulset.yaml",
            "web-1.nginx.default.svc.cluster.local");
    assertThat(r.out())
        .contains("status: NOERROR")
        .containsPattern("web-1\\.nginx\\.default\\.svc\\.cluster\\.local\\.\\s+30\\s+IN\\s+A");
  }

  @Test
  void resolvconfPrintsTheKubeletsFile() {
    Run r = run("dns", "resolvconf", "-f", EXAMPLES + "shop.yaml", "pod/shop/client");
    assertThat(r.out())
        .isEqualTo(
            "search shop.svc.cluster.local svc.cluster.local cluster.local\n"
                + "nameserver 10.96.0.10\noptions ndots:5\n");
  }

  @Test
  void zoneIsDeterministicAndNamesEveryService() {
    Run a = run("dns", "zone", "-f", EXAMPLES + "shop.yaml");
    Run b = run("dns", "zone", "-f", EXAMPLES + "shop.yaml");
    assertThat(a.out())
        .isEqualTo(b.out())
        .contains("web.shop.svc.cluster.local.\t30\tIN\tA\t10.96.0.20")
        .contains("payments.shop.svc.cluster.local.\t30\tIN\tCNAME\tpayments.example.com.");
  }

  @Test
  void aBadManifestIsExitCode2WithItsLocation(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "apiVersion: v1\nkind: Service\nmetadata: {name: x\n");
    Run r = run("dns", "zone", "-f", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("bad.yaml");
  }

  @Test
  void aNotReadyPodIsPublishedOnlyWithPublishNotReadyAddresses(@TempDir Path dir) throws Exception {
    String pod =
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: db-0, namespace: default, labels: {app: db}}
        spec: {hostname: db-0, subdomain: db, containers: [{name: pg, image: postgres}]}
        status:
          podIP: 10.244.1.5
          podIPs: [{ip: 10.244.1.5}]
          conditions: [{type: Ready, status: "False"}]
        """;
    String service =
        """
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: default}
        spec: {clusterIP: None, selector: {app: db}, publishNotReadyAddresses: %s}
        """;
    Path hidden =
        Files.writeString(dir.resolve("hidden.yaml"), pod + "---\n" + service.formatted(false));
    Path shown =
        Files.writeString(dir.resolve("shown.yaml"), pod + "---\n" + service.formatted(true));
    for (String name :
        List.of("db.default.svc.cluster.local", "db-0.db.default.svc.cluster.local")) {
      assertThat(run("dns", "query", "--static", "-f", hidden.toString(), name).out())
          .as(name)
          .contains("status: NXDOMAIN");
      assertThat(run("dns", "query", "--static", "-f", shown.toString(), name).out())
          .as(name)
          .contains("status: NOERROR")
          .containsPattern("\\sA\\s+10\\.244\\.1\\.5\\n");
    }
  }
}
