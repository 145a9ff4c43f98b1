package dev.podpath.cli.get;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GetCommandTest {

  static final String EXAMPLES = "../examples/k8s";

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
  void endpointSlicesOfTheExamples() {
    Run r = run("get", "endpointslices", "-f", EXAMPLES, "-n", "shop");
    assertThat(r.code()).as(r.err()).isZero();
    String[] lines = r.out().split("\n");
    assertThat(lines[0]).matches("NAME +ADDRESSTYPE +PORTS +ENDPOINTS +AGE");
    assertThat(r.out()).containsPattern("db-[a-z0-9]{5} +IPv4 +5432 +10\\.244\\.\\d+\\.\\d+,10");
    assertThat(r.out())
        .containsPattern(
            "legacy-api-[a-z0-9]{5} +IPv4 +8443 +192\\.168\\.10\\.5,192\\.168\\.10\\.6 +0s");
    assertThat(r.out()).containsPattern("web-[a-z0-9]{5} +IPv4 +8080 +10\\.244\\.");
  }

  @Test
  void podsWideShowIpsAndNodes() {
    Run r = run("get", "pods", "-f", EXAMPLES, "-n", "shop", "-o", "wide", "-l", "app=db");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("db-0 +1/1 +Running +0 +0s +10\\.244\\.\\d+\\.2 +worker");
  }

  @Test
  void yamlAndNameOutputs() {
    Run name = run("get", "svc", "-f", EXAMPLES, "-A", "-o", "name");
    assertThat(name.out()).contains("service/kubernetes\n", "service/web\n", "service/db\n");
    Run yaml =
        run(
            "get",
            "endpointslice",
            "-f",
            EXAMPLES,
            "-n",
            "shop",
            "-l",
            "kubernetes.io/service-name=web",
            "-o",
            "yaml");
    assertThat(yaml.out())
        .contains(
            "kind: EndpointSlice",
            "addressType: IPv4",
            "forZones:",
            "kubernetes.io/service-name: web");
  }

  @Test
  void badInputIsReportedWithExitCode2() {
    Run r = run("get", "widgets", "-f", EXAMPLES);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("the server doesn't have a resource type \"widgets\"");
  }

  @Test
  void theSchedulingExampleSpreadsWebOverZonesAndLeavesOneCachePending() {
    Run r = run("get", "pods", "-f", "../examples/scheduling", "-o", "wide");
    assertThat(r.code()).as(r.err()).isZero();
    java.util.Map<String, Integer> webPerZone = new java.util.TreeMap<>();
    java.util.Set<String> cacheNodes = new java.util.TreeSet<>();
    int pending = 0;
    for (String line : r.out().split("\n")) {
      String[] f = line.trim().split(" +");
      if (f[0].startsWith("web-")) {
        webPerZone.merge(f[6].substring(0, 1), 1, Integer::sum);
      } else if (f[0].startsWith("cache-") && f[2].equals("Pending")) {
        pending++;
      } else if (f[0].startsWith("cache-")) {
        assertThat(cacheNodes.add(f[6])).as("two caches on " + f[6]).isTrue();
      }
    }
    assertThat(webPerZone).isEqualTo(java.util.Map.of("a", 2, "b", 2));
    assertThat(cacheNodes).containsExactly("a1", "a2", "a3", "b1", "b2");
    assertThat(pending).isEqualTo(1);
  }

  @Test
  void fieldSelectorSelectsPodsByPhaseAndNameAndRefusesAnUnsupportedField() {
    Run r =
        run(
            "get",
            "pods",
            "-f",
            EXAMPLES,
            "-n",
            "shop",
            "-o",
            "name",
            "--field-selector",
            "metadata.name=db-0,status.phase=Running");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("pod/db-0\n");
    r =
        run(
            "get",
            "services",
            "-f",
            EXAMPLES,
            "-n",
            "shop",
            "--field-selector",
            "spec.type=NodePort");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "Error from server (BadRequest): Unable to find \"/v1, Resource=services\" that match"
                + " label selector \"\", field selector \"spec.type=NodePort\": field label not"
                + " supported: spec.type\n");
  }
}
