package dev.podpath.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Kubernetes lab in {@code examples/cluster/} runs in podpath with all its expectations
 * holding.
 */
class ClusterLabExamplesTest {

  static Stream<Path> labs() throws IOException {
    try (var files = Files.list(LabExamplesTest.examples().resolve("cluster"))) {
      return files.filter(p -> p.toString().endsWith(".lab")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("labs")
  void theClusterExampleHoldsInPodpath(Path lab) {
    var r = LabExamplesTest.podpath(lab.toString());
    assertThat(r.err()).as("stderr").isEmpty();
    assertThat(r.out()).as("output").doesNotContain(": expected ").contains("expectations hold");
    assertThat(r.exitCode()).isZero();
  }
}
