package dev.podpath.node.cni;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One plugin invocation as a plugin sees it after libcni's {@code skel} has read the environment
 * and stdin.
 *
 * @param config the request configuration from stdin
 * @param args {@code CNI_ARGS} as ordered key/value pairs
 */
public record CniRequest(
    CniCommand command,
    String containerId,
    String netns,
    String ifName,
    Map<String, String> args,
    List<String> path,
    ObjectNode config) {

  public CniRequest {
    args = Map.copyOf(args);
    path = List.copyOf(path);
  }

  /** The {@code cniVersion} of the request ({@code 0.1.0} when absent, as libcni decodes it). */
  public String cniVersion() {
    return config.path("cniVersion").asText("0.1.0").isEmpty()
        ? "0.1.0"
        : config.path("cniVersion").asText("0.1.0");
  }

  /** The network name. */
  public String networkName() {
    return config.path("name").asText("");
  }

  /** Parses {@code CNI_ARGS} ({@code K1=V1;K2=V2}). */
  static Map<String, String> parseArgs(String text) throws CniException {
    var out = new LinkedHashMap<String, String>();
    if (text.isEmpty()) {
      return out;
    }
    for (String pair : text.split(";")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw CniException.internal("ARGS: invalid pair \"" + pair + "\"");
      }
      out.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return out;
  }
}
