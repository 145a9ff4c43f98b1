package dev.podpath.kube.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a YAML or JSON stream of documents into trees, remembering the line at which each object
 * node starts, so errors about any object (also {@code List} items) can name the line.
 */
final class LocatedTrees {

  /** The documents of one stream and the start line of every object node in them. */
  record Parsed(List<JsonNode> documents, Map<JsonNode, Integer> lines) {}

  private static final JsonFactory JSON = new JsonFactory();
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Map<JsonNode, Integer> lines = new IdentityHashMap<>();

  private LocatedTrees() {}

  /** Parses {@code text}; JSON when it starts with '{' or '[', YAML otherwise. */
  static Parsed parse(String file, String text) {
    LocatedTrees t = new LocatedTrees();
    String trimmed = text.stripLeading();
    boolean json = trimmed.startsWith("{") || trimmed.startsWith("[");
    List<JsonNode> docs = new ArrayList<>();
    try (JsonParser p = json ? JSON.createParser(text) : YAML.createParser(text)) {
      JsonToken tok;
      while ((tok = p.nextToken()) != null) {
        if (tok == JsonToken.VALUE_NULL) {
          continue; // an empty YAML document
        }
        docs.add(t.value(p, tok));
      }
    } catch (IOException e) {
      int line = lineOf(e);
      throw new ManifestException(
          new Source(file, Math.max(line, 0)),
          "cannot parse " + (json ? "JSON" : "YAML") + ": " + firstLine(e.getMessage()));
    }
    return new Parsed(docs, t.lines);
  }

  private JsonNode value(JsonParser p, JsonToken tok) throws IOException {
    return switch (tok) {
      case START_OBJECT -> {
        ObjectNode obj = NODES.objectNode();
        lines.put(obj, p.currentTokenLocation().getLineNr());
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          obj.set(name, value(p, p.nextToken()));
        }
        yield obj;
      }
      case START_ARRAY -> {
        ArrayNode arr = NODES.arrayNode();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          arr.add(value(p, next));
        }
        yield arr;
      }
      case VALUE_STRING -> NODES.textNode(p.getText());
      case VALUE_NUMBER_INT ->
          switch (p.getNumberType()) {
            case INT -> NODES.numberNode(p.getIntValue());
            case LONG -> NODES.numberNode(p.getLongValue());
            default -> NODES.numberNode(p.getBigIntegerValue());
          };
      case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> NODES.textNode(p.getText());
    };
  }

  private static int lineOf(IOException e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
        && jpe.getLocation() != null) {
      return jpe.getLocation().getLineNr();
    }
    return 0;
  }

  static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
