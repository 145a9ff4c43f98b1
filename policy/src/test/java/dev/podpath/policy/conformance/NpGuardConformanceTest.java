package dev.podpath.policy.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podpath.net.Protocol;
import dev.podpath.policy.analysis.Connection;
import dev.podpath.policy.analysis.Focus;
import dev.podpath.policy.analysis.Reachability;
import dev.podpath.policy.analysis.Renderer;
import dev.podpath.policy.eval.Endpoint;
import dev.podpath.policy.eval.Judge;
import dev.podpath.policy.eval.PolicyIndex;
import dev.podpath.policy.load.ClusterLoader;
import dev.podpath.policy.load.DumpReader;
import dev.podpath.policy.model.ConnectionSet;
import dev.podpath.policy.model.PodInfo;
import dev.podpath.policy.model.Semantics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * np-guard's expected connectivity lists ({@code np-guard/}, and the non-ingress-controller lines
 * of {@code np-guard-ingress/}), compared line by line; also the connlist part of exposure files
 * and the pod-level connection maps. Explanation files are np-guard-specific prose: not compared.
 */
class NpGuardConformanceTest {

  @TestFactory
  Stream<DynamicTest> npGuardScenariosGiveTheirConnlist() {
    return scenarios("np-guard");
  }

  @TestFactory
  Stream<DynamicTest> npGuardIngressScenariosGiveTheirNonIngressLines() {
    return scenarios("np-guard-ingress");
  }

  private static Stream<DynamicTest> scenarios(String suite) {
    var tests = new ArrayList<DynamicTest>();
    for (Path dir : Corpus.children(Corpus.root().resolve(suite))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      JsonNode c = Corpus.yaml(dir.resolve("case.yaml"));
      for (JsonNode e : c.path("expected")) {
        String kind = e.path("outputKind").asText();
        Path expected = dir.resolve(e.path("file").asText());
        String name = suite + "/" + dir.getFileName() + ": " + expected.getFileName();
        if (kind.equals("connlist") || kind.equals("exposure")) {
          tests.add(DynamicTest.dynamicTest(name, () -> checkConnlist(dir, expected, e)));
        } else if (kind.startsWith("pod-level connection map")) {
          tests.add(DynamicTest.dynamicTest(name, () -> checkPodMap(dir, expected, kind)));
        }
      }
    }
    return tests.stream();
  }

  static List<String> expectedLines(Path file, boolean exposure) throws IOException {
    var out = new ArrayList<String>();
    for (String line : Files.readString(file).replace("\r", "").split("\n", -1)) {
      if (exposure && line.startsWith("Exposure Analysis Result")) {
        break;
      }
      if (!line.startsWith("{ingress-controller}")) {
        out.add(line);
      }
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  private static void checkConnlist(Path dir, Path expected, JsonNode entry) throws IOException {
    var state = ClusterLoader.load(List.of(dir.resolve("manifests")));
    var reach = Reachability.of(state, Semantics.NP_GUARD);
    JsonNode opts = entry.path("analyzerOptions");
    var focus =
        new Focus(
            strings(opts.path("focusWorkloads")),
            opts.has("focusDirection")
                ? Optional.of(
                    Focus.FocusDirection.valueOf(
                        opts.path("focusDirection").asText().toUpperCase()))
                : Optional.empty(),
            strings(opts.path("focusWorkloadPeers")),
            List.of());
    List<Connection> lines = reach.connections(focus);
    String text =
        opts.has("focusConn")
            ? Renderer.permitted(lines, Renderer.PortQuery.parse(opts.path("focusConn").asText()))
            : Renderer.connlist(lines);
    var actual = new ArrayList<>(List.of(text.split("\n", -1)));
    while (!actual.isEmpty() && actual.get(actual.size() - 1).isEmpty()) {
      actual.remove(actual.size() - 1);
    }
    actual.removeIf(l -> l.startsWith("{ingress-controller}"));
    boolean exposure = entry.path("outputKind").asText().equals("exposure");
    assertSameLines(expected, actual, expectedLines(expected, exposure));
  }

  /** Compares line lists; on a mismatch names the file and the lines missing and extra. */
  static void assertSameLines(Path file, List<String> actual, List<String> expected) {
    var missing = new ArrayList<>(expected);
    missing.removeAll(actual);
    var extra = new ArrayList<>(actual);
    extra.removeAll(expected);
    assertThat(actual)
        .as("%s%n missing: %s%n extra: %s", file, missing, extra)
        .containsExactlyElementsOf(expected);
  }

  private static List<String> strings(JsonNode n) {
    var out = new ArrayList<String>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  /** Pod-level maps load only Pods, Namespaces and NetworkPolicies; a pod reaches itself. */
  private static void checkPodMap(Path dir, Path expected, String kind) throws IOException {
    var manifests = DumpReader.read(List.of(dir.resolve("manifests")));
    manifests =
        manifests.stream()
            .filter(m -> Set.of("Pod", "Namespace", "NetworkPolicy").contains(m.kind()))
            .toList();
    var state = ClusterLoader.build(manifests);
    var judge = new Judge(new PolicyIndex(state, Semantics.NP_GUARD));
    boolean bool = kind.contains("boolean");
    var actual = new ArrayList<String>();
    for (PodInfo a : state.pods()) {
      for (PodInfo b : state.pods()) {
        ConnectionSet c =
            a == b ? ConnectionSet.ALL : judge.allowed(new Endpoint.Pod(a), new Endpoint.Pod(b));
        String v = bool ? String.valueOf(c.allows(Protocol.TCP, 80)) : c.toString();
        actual.add("src: " + a.key() + ", dest: " + b.key() + ", allowed conns: " + v);
      }
    }
    actual.sort(null);
    assertSameLines(expected, actual, expectedLines(expected, false));
  }
}
