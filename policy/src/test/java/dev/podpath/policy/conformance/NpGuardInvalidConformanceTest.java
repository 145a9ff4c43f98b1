package dev.podpath.policy.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podpath.policy.analysis.Reachability;
import dev.podpath.policy.load.ClusterLoader;
import dev.podpath.policy.load.InputException;
import dev.podpath.policy.model.Semantics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code np-guard-invalid/}: every NetworkPolicy/Namespace input np-guard rejects ("core") is
 * rejected with an {@link InputException} whose message carries the expected text. Three upstream
 * messages are reworded on purpose (listed in {@link #REWORDED}); the "analyzer-limitation" cases
 * are accepted, as a real cluster accepts them, with a warning. AdminNetworkPolicy cases are
 * outside NetworkPolicy and not run.
 */
class NpGuardInvalidConformanceTest {

  /** Upstream fragment -> podpath's wording (upstream's reads "is already exists", "is legal"). */
  static final Map<String, String> REWORDED =
      Map.of(
          "NetworkPolicy \"default/backend-netpol\" is already exists. Only one object of a given kind"
              + " can have a given name at a time.",
          "NetworkPolicy \"default/backend-netpol\" already exists",
          "Namespace \"blue\" is already exists. Only one object of a given kind can have a given name"
              + " at a time.",
          "Namespace \"blue\" already exists",
          "port range 10-1 is legal; start and end values of the port range should be in {1-65535} and"
              + " end may not be less than start",
          "port range 10-1 is illegal; start and end values of the port range should be in {1-65535}"
              + " and end may not be less than start");

  @TestFactory
  Stream<DynamicTest> coreInvalidInputsAreRejectedAndLimitationsAccepted() {
    var tests = new ArrayList<DynamicTest>();
    for (Path dir : Corpus.children(Corpus.root().resolve("np-guard-invalid"))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      JsonNode c = Corpus.yaml(dir.resolve("case.yaml"));
      String category = c.path("category").asText();
      var fragments = new ArrayList<String>();
      c.path("expectedErrorContains")
          .forEach(f -> fragments.add(REWORDED.getOrDefault(f.asText(), f.asText())));
      Path manifests = dir.resolve("manifests");
      if (category.equals("core")) {
        tests.add(
            DynamicTest.dynamicTest(
                "rejects " + dir.getFileName(),
                () ->
                    assertThatThrownBy(() -> ClusterLoader.load(List.of(manifests)))
                        .isInstanceOf(InputException.class)
                        .satisfies(e -> assertThat(e.getMessage()).contains(fragments))));
      } else if (category.equals("analyzer-limitation")) {
        tests.add(
            DynamicTest.dynamicTest(
                "accepts with a warning " + dir.getFileName(),
                () -> {
                  var reach =
                      Reachability.of(ClusterLoader.load(List.of(manifests)), Semantics.NP_GUARD);
                  assertThat(reach.warnings()).isNotEmpty();
                }));
      }
    }
    return tests.stream();
  }
}
