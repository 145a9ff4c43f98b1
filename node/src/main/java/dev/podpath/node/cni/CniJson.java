package dev.podpath.node.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON as the Go plugins write it: {@code json.MarshalIndent(v, "", " ")} for results and errors
 * ({@code "key": value}, four spaces, {@code {}} for an empty object), compact {@code json.Marshal}
 * for VERSION answers.
 */
public final class CniJson {

  public static final ObjectMapper MAPPER = new ObjectMapper();

  private static final DefaultPrettyPrinter GO_INDENT =
      new DefaultPrettyPrinter(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""))
          .withObjectIndenter(new DefaultIndenter("    ", "\n"))
          .withArrayIndenter(new DefaultIndenter("    ", "\n"));

  private CniJson() {}

  /** Go's {@code MarshalIndent} with four spaces. */
  public static String indented(JsonNode node) {
    try {
      return MAPPER.writer(GO_INDENT).writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON", e);
    }
  }

  /** Go's compact {@code Marshal}. */
  public static String compact(JsonNode node) {
    return node.toString();
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * Parses a request's stdin; bad JSON is error 6 with Go's decoder wording where it matters
   * ({@code error unmarshall network config: …}).
   */
  public static ObjectNode parseConfig(String stdin) throws CniException {
    try {
      JsonNode node = MAPPER.readTree(stdin);
      if (node == null || !node.isObject()) {
        throw new CniException(
            CniException.DECODING_FAILURE,
            "error unmarshall network config: config is not a JSON object",
            "");
      }
      return (ObjectNode) node;
    } catch (JsonProcessingException e) {
      throw new CniException(
          CniException.DECODING_FAILURE,
          "error unmarshall network config: " + goDecoderMessage(stdin),
          "");
    }
  }

  /** Go's encoding/json message for the first offending character, for the common cases. */
  private static String goDecoderMessage(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return "unexpected end of JSON input";
    }
    if (t.charAt(0) == '{') {
      int i = 1;
      while (i < t.length() && Character.isWhitespace(t.charAt(i))) {
        i++;
      }
      if (i >= t.length()) {
        return "unexpected end of JSON input";
      }
      char c = t.charAt(i);
      if (c != '"' && c != '}') {
        return "invalid character '" + c + "' looking for beginning of object key string";
      }
    } else if ("[{\"-0123456789tfn".indexOf(t.charAt(0)) < 0) {
      return "invalid character '" + t.charAt(0) + "' looking for beginning of value";
    }
    return "unexpected end of JSON input";
  }
}
