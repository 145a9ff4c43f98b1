package dev.podpath.policy.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The data-plane compiler is an implementation of NetworkPolicy independent of the semantic judge:
 * the agreement property is only worth something while neither uses the other.
 */
class IndependenceTest {

  @Test
  void enforcementDoesNotUseTheJudgeOrTheAnalysis() throws IOException {
    Path dir = Path.of("src/main/java/dev/podpath/policy/enforce");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String text = Files.readString(f);
        assertThat(text)
            .as(f.toString())
            .doesNotContain("import dev.podpath.policy.eval")
            .doesNotContain("import dev.podpath.policy.analysis");
      }
    }
  }
}
