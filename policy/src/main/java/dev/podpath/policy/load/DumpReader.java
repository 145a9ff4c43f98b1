package dev.podpath.policy.load;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads Kubernetes YAML and JSON as {@code kubectl apply -f PATH -R} does: files or directories
 * (recursively, {@code .yaml}, {@code .yml}, {@code .json}, in path order), multi-document YAML,
 * and {@code List} kinds ({@code List}, {@code PodList}, ...) flattened into their items.
 */
public final class DumpReader {
  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(JsonParser.Feature.ALLOW_COMMENTS).build();

  private DumpReader() {}

  public static List<DumpObject> read(List<Path> paths) {
    var out = new ArrayList<DumpObject>();
    for (Path p : paths) {
      for (Path f : files(p)) {
        try {
          out.addAll(parse(f.toString(), Files.readString(f)));
        } catch (IOException e) {
          throw new InputException(f.toString(), "cannot read: " + e.getMessage(), e);
        }
      }
    }
    return out;
  }

  private static List<Path> files(Path p) {
    if (!Files.exists(p)) {
      throw new InputException(p.toString(), "no such file or directory");
    }
    if (!Files.isDirectory(p)) {
      return List.of(p);
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> f.toString().matches(".*\\.(ya?ml|json)$"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new InputException(p.toString(), "cannot list: " + e.getMessage(), e);
    }
  }

  /** Parses the text of one file (YAML, possibly multi-document, or JSON). */
  public static List<DumpObject> parse(String name, String text) {
    var out = new ArrayList<DumpObject>();
    // YAML forbids tabs in indentation but Go's parser accepts them inside flow collections.
    String cleaned = text.replace('\t', ' ');
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(cleaned)) {
      int doc = 0;
      while (it.hasNextValue()) {
        JsonNode node = it.nextValue();
        doc++;
        if (node == null || node.isNull() || node.isMissingNode() || node.isEmpty()) {
          continue;
        }
        flatten(name + "#" + doc, node, out);
      }
    } catch (IOException | RuntimeException e) {
      throw new InputException(name, "not valid YAML or JSON: " + firstLine(e.getMessage()), e);
    }
    return out;
  }

  private static void flatten(String origin, JsonNode node, List<DumpObject> out) {
    if (!node.isObject()) {
      throw new InputException(origin, "not a Kubernetes object");
    }
    String kind = node.path("kind").asText("");
    if (kind.endsWith("List") && node.path("items").isArray()) {
      // Items of a typed list (PodList, NamespaceList) may omit their kind.
      String itemKind = kind.substring(0, kind.length() - "List".length());
      int i = 0;
      for (JsonNode item : node.path("items")) {
        if (item.isObject() && !item.has("kind") && !itemKind.isEmpty()) {
          item = ((ObjectNode) item.deepCopy()).put("kind", itemKind);
        }
        flatten(origin + ".items[" + i++ + "]", item, out);
      }
      return;
    }
    out.add(new DumpObject(origin, node));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
