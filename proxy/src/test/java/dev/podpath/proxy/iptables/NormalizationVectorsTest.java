package dev.podpath.proxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The corpus's normalisation vectors: upstream's rule sort and probability strings. */
class NormalizationVectorsTest {

  private static JsonNode vectors(String file) {
    assumeTrue(Corpus.dir().isPresent(), "kube-proxy corpus absent: normalisation vectors skipped");
    return Corpus.read(Corpus.dir().get().resolve(Path.of("normalization", file)));
  }

  @Test
  void sortMatchesUpstreamOnEveryPair() {
    JsonNode cases = vectors("sort-iptables-rules.yaml").path("cases");
    assertThat(cases.size()).isEqualTo(4);
    for (JsonNode c : cases) {
      assertThat(RestoreNormalizer.normalize(c.path("input").asText()))
          .as(c.path("name").asText())
          .isEqualTo(c.path("expected_output").asText());
    }
  }

  @Test
  void probabilitiesArePrintedAsGoPrintsThem() {
    JsonNode expected = vectors("probabilities.yaml").path("expected");
    assertThat(expected.size()).isEqualTo(8);
    expected
        .properties()
        .forEach(
            e ->
                assertThat(Probability.of(Integer.parseInt(e.getKey())))
                    .isEqualTo(e.getValue().asText()));
  }

  @Test
  void everyExpectedTextIsAFixedPointOfTheSort() {
    for (Path p : Corpus.cases()) {
      JsonNode c = Corpus.read(p);
      if (c.path("expected_iptables_restore").isTextual()) {
        String t = c.path("expected_iptables_restore").asText();
        assertThat(RestoreNormalizer.normalize(t)).as(p.toString()).isEqualTo(t);
      }
    }
  }
}
