package dev.podpath.cli.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@link Manifests} over Jackson's YAML reader (JSON is YAML too). */
final class YamlManifests implements Manifests {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Override
  public List<JsonNode> read(List<Path> paths) throws ManifestException {
    List<JsonNode> out = new ArrayList<>();
    for (Path p : paths) {
      for (Path f : files(p)) {
        readFile(f, out);
      }
    }
    return out;
  }

  private static List<Path> files(Path p) throws ManifestException {
    if (!Files.isDirectory(p)) {
      return List.of(p);
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> f.toString().matches(".*\\.(ya?ml|json)$"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new ManifestException(p + ": " + e.getMessage(), e);
    }
  }

  private static void readFile(Path f, List<JsonNode> out) throws ManifestException {
    ObjectReader reader = YAML.readerFor(JsonNode.class);
    try (var it = reader.<JsonNode>readValues(Files.readString(f))) {
      int doc = 0;
      while (it.hasNextValue()) {
        doc++;
        JsonNode n = it.nextValue();
        if (n == null || n.isNull() || n.isMissingNode()) {
          continue;
        }
        if (!n.isObject() || !n.has("kind")) {
          throw new ManifestException(f + ": document " + doc + " has no kind", null);
        }
        if (n.path("kind").asText().endsWith("List") && n.path("items").isArray()) {
          n.path("items").forEach(out::add);
        } else {
          out.add(n);
        }
      }
    } catch (JsonProcessingException e) {
      throw new ManifestException(
          f + ": line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new ManifestException(f + ": " + e.getMessage(), e);
    }
  }
}
