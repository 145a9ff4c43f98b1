package dev.podpath.proxy.iptables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The kube-proxy conformance corpus in {@code ${podpath.shared}/conformance/kube-proxy}. */
final class Corpus {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Corpus() {}

  /** The corpus directory, if the shared data is present. */
  static Optional<Path> dir() {
    String shared = System.getProperty("podpath.shared");
    if (shared == null) {
      return Optional.empty();
    }
    Path dir = Path.of(shared, "conformance", "kube-proxy");
    return Files.isDirectory(dir.resolve("cases")) ? Optional.of(dir) : Optional.empty();
  }

  /** The case files, sorted; empty when the corpus is absent. */
  static List<Path> cases() {
    return dir()
        .map(
            d -> {
              try (Stream<Path> s = Files.list(d.resolve("cases"))) {
                return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .orElse(List.of());
  }

  static JsonNode read(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
