package dev.podpath.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every lab shipped elsewhere in {@code examples/} (such as {@code examples/shop/enforcement.lab})
 * runs in podpath with all its expectations holding. The five top-level labs and those of {@code
 * examples/cluster/} have their own tests ({@link LabExamplesTest}, {@link
 * ClusterLabExamplesTest}).
 */
class OtherLabExamplesTest {

  static Stream<Path> labs() throws IOException {
    Path examples = LabExamplesTest.examples();
    try (var files = Files.walk(examples)) {
      return files
          .filter(p -> p.toString().endsWith(".lab"))
          .filter(p -> !p.getParent().equals(examples))
          .filter(p -> !p.getParent().equals(examples.resolve("cluster")))
          .sorted()
          .toList()
          .stream();
    }
  }

  @org.junit.jupiter.api.Test
  void theShopEnforcementLabIsAmongThem() throws IOException {
    assertThat(labs().map(p -> LabExamplesTest.examples().relativize(p).toString()))
        .contains("shop/enforcement.lab");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("labs")
  void theExampleHoldsInPodpath(Path lab) {
    var r = LabExamplesTest.podpath(lab.toString());
    assertThat(r.err()).as("stderr").isEmpty();
    assertThat(r.out()).as("output").doesNotContain(": expected ").contains("expectations hold");
    assertThat(r.exitCode()).isZero();
  }
}
