package dev.podpath.policy.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podpath.net.Protocol;
import dev.podpath.policy.eval.Endpoint;
import dev.podpath.policy.eval.Judge;
import dev.podpath.policy.eval.PolicyIndex;
import dev.podpath.policy.load.ClusterLoader;
import dev.podpath.policy.load.ClusterState;
import dev.podpath.policy.load.DumpObject;
import dev.podpath.policy.load.DumpReader;
import dev.podpath.policy.model.PodInfo;
import dev.podpath.policy.model.Semantics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every check of every step of the upstream e2e suite ({@code k8s-e2e/NN-*.yaml}): the 72 ordered
 * pod pairs of the 3x3 model are denied exactly where the test expects.
 */
class K8sE2eConformanceTest {

  @TestFactory
  Stream<DynamicTest> everyCheckGivesItsReachabilityMatrix() {
    Path root = Corpus.root().resolve("k8s-e2e");
    var tests = new ArrayList<DynamicTest>();
    for (Path f : Corpus.children(root)) {
      if (!f.getFileName().toString().matches("\\d\\d-.*\\.yaml")) {
        continue;
      }
      JsonNode test = Corpus.yaml(f);
      Path model = root.resolve(test.path("model").path("manifests").asText());
      for (JsonNode step : test.path("steps")) {
        int c = 0;
        for (JsonNode check : step.path("checks")) {
          String name =
              f.getFileName()
                  + " step "
                  + step.path("step").asInt()
                  + " check "
                  + ++c
                  + " ("
                  + check.path("protocol").asText()
                  + "/"
                  + check.path("port").asInt()
                  + ")";
          tests.add(DynamicTest.dynamicTest(name, () -> runCheck(model, step, check)));
        }
      }
    }
    return tests.stream();
  }

  static ClusterState stateOf(Path model, JsonNode step) {
    var manifests = new ArrayList<>(DumpReader.read(List.of(model)));
    int i = 0;
    for (JsonNode np : step.path("state").path("networkPolicies")) {
      manifests.add(new DumpObject("step-policy#" + ++i, np));
    }
    ClusterState state = ClusterLoader.build(manifests);
    for (var e : step.path("state").path("namespaceLabelsAdded").properties()) {
      state = state.withNamespaceLabels(e.getKey(), strings(e.getValue()));
    }
    for (var e : step.path("state").path("podLabelsAdded").properties()) {
      state = state.withPodLabels(e.getKey(), strings(e.getValue()));
    }
    return state;
  }

  private static Map<String, String> strings(JsonNode n) {
    var m = new TreeMap<String, String>();
    n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  private static void runCheck(Path model, JsonNode step, JsonNode check) {
    var state = stateOf(model, step);
    var judge = new Judge(new PolicyIndex(state, Semantics.KUBERNETES));
    Protocol proto = Protocol.find(check.path("protocol").asText()).orElseThrow();
    int port = check.path("port").asInt();
    var expected = new TreeSet<String>();
    for (JsonNode d : check.path("denied")) {
      expected.add(d.path("from").asText() + " -> " + d.path("to").asText());
    }
    var actual = new TreeSet<String>();
    for (PodInfo a : state.pods()) {
      for (PodInfo b : state.pods()) {
        if (a != b
            && !judge.allowed(new Endpoint.Pod(a), new Endpoint.Pod(b)).allows(proto, port)) {
          actual.add(a.key() + " -> " + b.key());
        }
      }
    }
    assertThat(actual).as("denied pairs").isEqualTo(expected);
  }
}
