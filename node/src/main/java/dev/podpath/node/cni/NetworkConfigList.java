package dev.podpath.node.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A CNI network configuration list (a {@code .conflist}): name, version and the plugin objects
 * executed in order. A bare single-plugin {@code .conf} is turned into a one-element list, as
 * libcni does.
 */
public record NetworkConfigList(
    String name, String cniVersion, boolean disableCheck, List<ObjectNode> plugins) {

  private static final Pattern VALID_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");

  public NetworkConfigList {
    plugins = List.copyOf(plugins);
  }

  /** Parses a conflist or a single-plugin conf; errors name the offending key. */
  public static NetworkConfigList parse(String json) throws CniException {
    ObjectNode root = CniJson.parseConfig(json);
    String name = root.path("name").asText("");
    if (name.isEmpty()) {
      throw new CniException(CniException.INVALID_NETWORK_CONFIG, "missing network name:", "");
    }
    if (!VALID_NAME.matcher(name).matches()) {
      throw new CniException(
          CniException.INVALID_NETWORK_CONFIG, "invalid characters found in network name", name);
    }
    String version = root.path("cniVersion").asText("");
    var plugins = new ArrayList<ObjectNode>();
    JsonNode list = root.get("plugins");
    if (list == null) {
      if (!root.has("type")) {
        throw new CniException(
            CniException.INVALID_NETWORK_CONFIG, "error parsing configuration: missing 'type'", "");
      }
      plugins.add(root.deepCopy());
    } else {
      if (!list.isArray() || list.isEmpty()) {
        throw new CniException(
            CniException.INVALID_NETWORK_CONFIG,
            "error parsing configuration list: no plugins in list",
            "");
      }
      for (JsonNode p : list) {
        String type = p.path("type").asText("");
        if (type.isEmpty() || type.contains("/") || type.contains("\\")) {
          throw new CniException(
              CniException.INVALID_NETWORK_CONFIG,
              "error parsing configuration list: invalid plugin type \"" + type + "\"",
              "");
        }
        plugins.add((ObjectNode) p.deepCopy());
      }
    }
    return new NetworkConfigList(
        name, version, root.path("disableCheck").asBoolean(false), plugins);
  }
}
