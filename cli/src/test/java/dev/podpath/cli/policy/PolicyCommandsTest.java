package dev.podpath.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PolicyCommandsTest {
  static final String BASE = "../examples/shop/base";
  static final String NEXT = "../examples/shop/next";

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void reachListsTheShopConnectivityAsConnlist() {
    var r = run("reach", "-f", BASE, "-o", "connlist", "--focus-namespace", "shop");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(
            "0.0.0.0-255.255.255.255[External] => shop/frontend[Deployment] : TCP 8080\n",
            "shop/frontend[Deployment] => shop/backend[Deployment] : TCP 9090\n");
    assertThat(r.out()).doesNotContain("=> shop/db[StatefulSet]");
  }

  @Test
  void reachRendersJsonCsvAndMarkdown() {
    assertThat(run("reach", "-f", BASE, "-o", "json").out())
        .contains(
            "{\"src\": \"shop/frontend[Deployment]\", \"dst\": \"shop/backend[Deployment]\","
                + " \"conn\": \"TCP 9090\"}");
    assertThat(run("reach", "-f", BASE, "-o", "csv").out())
        .startsWith("src,dst,conn\n")
        .contains("shop/frontend[Deployment],shop/backend[Deployment],TCP 9090");
    assertThat(run("reach", "-f", BASE, "-o", "md").out())
        .contains("| shop/frontend[Deployment] | shop/backend[Deployment] | TCP 9090 |");
  }

  @Test
  void reachFocusOnAWorkloadKeepsItsLinesOnly() {
    var r =
        run(
            "reach",
            "-f",
            BASE,
            "-o",
            "connlist",
            "--focus-workload",
            "backend",
            "--focus-direction",
            "ingress");
    assertThat(r.out())
        .isEqualTo("shop/frontend[Deployment] => shop/backend[Deployment] : TCP 9090\n");
  }

  @Test
  void explainGivesTheAdmittingRuleAndExitsZeroWhenAllowed() {
    var r = run("explain", "-f", BASE, "shop/frontend", "shop/backend:9090/TCP");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("NetworkPolicy 'shop/allow-frontend-to-backend' Ingress rule #1 allows TCP 9090")
        .contains("Verdict for TCP 9090: ALLOWED");
  }

  @Test
  void explainNamesTheIsolationAndExitsOneWhenDenied() {
    var r = run("explain", "-f", BASE, "ops/monitoring", "shop/db:5432");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("isolated by shop/default-deny").contains("DENIED");
  }

  @Test
  void explainJudgesAServiceOnItsBackendAfterDnat() {
    var r = run("explain", "-f", BASE, "shop/frontend", "svc/shop/backend:80");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("Service shop/backend port 80 -> pod shop/backend-deployment port 9090/TCP")
        .contains("Verdict for TCP 9090: ALLOWED");
    assertThat(run("explain", "-f", BASE, "ops/monitoring", "svc/shop/backend:api").code())
        .isEqualTo(1);
  }

  @Test
  void explainAcceptsExternalAddresses() {
    var r = run("explain", "-f", BASE, "203.0.113.9", "shop/frontend:8080");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("external addresses are not selected");
  }

  @Test
  void diffFailsOnChangesOutsideTheAllowList(@TempDir Path tmp) throws Exception {
    var r =
        run("diff", NEXT.replace("next", "base"), NEXT, "--allow", "../examples/shop/allow.txt");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .isEqualTo(
            "+ ops/monitoring[Deployment] => shop/backend[Deployment] : TCP 9100\n"
                + "+ shop/backend[Deployment] => shop/db[StatefulSet] : TCP 5432   (allowed)\n");
    Path all = tmp.resolve("all.txt");
    Files.writeString(all, "+ * => shop/*\n");
    assertThat(run("diff", BASE, NEXT, "--allow", all.toString()).code()).isZero();
    assertThat(run("diff", NEXT, BASE, "--allow", all.toString()).code()).isEqualTo(1);
  }

  @Test
  void badInputExitsTwoWithTheLocation(@TempDir Path tmp) throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: p, namespace: shop}
        spec:
          podSelector: {}
          ingress: [{from: [{ipBlock: {cidr: 10.0.0.0}}]}]
        """);
    var r = run("reach", "-f", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("bad.yaml#1 NetworkPolicy shop/p")
        .contains("spec.ingress[0].from[0].ipBlock.cidr: invalid CIDR address: 10.0.0.0");
  }
}
