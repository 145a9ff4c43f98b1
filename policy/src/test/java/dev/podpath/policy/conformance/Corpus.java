package dev.podpath.policy.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The NetworkPolicy conformance corpus in {@code ../shared/conformance/netpol}. */
final class Corpus {
  static final YAMLMapper YAML = new YAMLMapper();

  private Corpus() {}

  /** The corpus folder; skips the calling test when it is absent. */
  static Path root() {
    String shared = System.getProperty("podpath.shared", "");
    Path p = Path.of(shared.isEmpty() ? "../../shared" : shared, "conformance", "netpol");
    assumeTrue(Files.isDirectory(p), "NetworkPolicy corpus absent at " + p + ": skipping");
    return p;
  }

  static JsonNode yaml(Path p) {
    try {
      return YAML.readTree(p.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> children(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
