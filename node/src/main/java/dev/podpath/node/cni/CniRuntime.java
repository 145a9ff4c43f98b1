package dev.podpath.node.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What libcni does for a container runtime: runs a configuration list's plugins for one attachment
 * — ADD in order, each given the previous result as {@code prevResult}; DEL in reverse with the
 * stored final result; CHECK in order — building each plugin's request config (the list's {@code
 * cniVersion} and {@code name} inserted, declared capabilities turned into {@code runtimeConfig},
 * {@code capabilities} removed) and keeping the final ADD result per attachment.
 */
public final class CniRuntime {

  /** An attachment: {@code (CNI_CONTAINERID, CNI_IFNAME)} on a network. */
  public record Attachment(String network, String containerId, String ifName) {}

  private final CniInvoker invoker;
  private final String cniPath;
  private final Map<Attachment, ObjectNode> results = new LinkedHashMap<>();

  public CniRuntime(CniInvoker invoker, String cniPath) {
    this.invoker = invoker;
    this.cniPath = cniPath;
  }

  /** ADD: the final result, or the first plugin's error. */
  public ObjectNode add(
      NetworkConfigList list,
      String containerId,
      String netns,
      String ifName,
      Map<String, JsonNode> runtimeCapabilities)
      throws CniException {
    return add(list, containerId, netns, ifName, runtimeCapabilities, "");
  }

  /** ADD with {@code CNI_ARGS} ({@code K1=V1;K2=V2}, e.g. {@code IP=10.244.1.7} for host-local). */
  public ObjectNode add(
      NetworkConfigList list,
      String containerId,
      String netns,
      String ifName,
      Map<String, JsonNode> runtimeCapabilities,
      String cniArgs)
      throws CniException {
    ObjectNode prev = null;
    for (ObjectNode plugin : list.plugins()) {
      ObjectNode request = request(list, plugin, runtimeCapabilities, Optional.ofNullable(prev));
      var env = env("ADD", containerId, netns, ifName);
      if (!cniArgs.isEmpty()) {
        env.put("CNI_ARGS", cniArgs);
      }
      var r = invoker.exec(plugin.path("type").asText(), env, CniJson.compact(request));
      prev = parseResult(r, plugin);
    }
    results.put(new Attachment(list.name(), containerId, ifName), prev);
    return prev;
  }

  /** DEL: every plugin in reverse order with the stored result; idempotent. */
  public void del(
      NetworkConfigList list,
      String containerId,
      String netns,
      String ifName,
      Map<String, JsonNode> runtimeCapabilities)
      throws CniException {
    var key = new Attachment(list.name(), containerId, ifName);
    Optional<ObjectNode> prev = Optional.ofNullable(results.get(key));
    List<ObjectNode> reversed = list.plugins().reversed();
    for (ObjectNode plugin : reversed) {
      ObjectNode request = request(list, plugin, runtimeCapabilities, prev);
      var r =
          invoker.exec(
              plugin.path("type").asText(),
              env("DEL", containerId, netns, ifName),
              CniJson.compact(request));
      if (!r.ok()) {
        throw error(r, plugin);
      }
    }
    results.remove(key);
  }

  /** CHECK: every plugin in order with the stored result. */
  public void check(NetworkConfigList list, String containerId, String netns, String ifName)
      throws CniException {
    if (list.disableCheck()) {
      return;
    }
    var prev = results.get(new Attachment(list.name(), containerId, ifName));
    if (prev == null) {
      throw CniException.internal("no cached result for " + containerId + "/" + ifName);
    }
    for (ObjectNode plugin : list.plugins()) {
      ObjectNode request = request(list, plugin, Map.of(), Optional.of(prev));
      var r =
          invoker.exec(
              plugin.path("type").asText(),
              env("CHECK", containerId, netns, ifName),
              CniJson.compact(request));
      if (!r.ok()) {
        throw error(r, plugin);
      }
    }
  }

  /** The stored final ADD result of an attachment. */
  public Optional<ObjectNode> result(Attachment attachment) {
    return Optional.ofNullable(results.get(attachment));
  }

  private Map<String, String> env(String command, String containerId, String netns, String ifName) {
    var env = new HashMap<String, String>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_NETNS", netns);
    env.put("CNI_IFNAME", ifName);
    env.put("CNI_PATH", cniPath);
    return env;
  }

  /** The per-plugin request config of spec §3.5. */
  static ObjectNode request(
      NetworkConfigList list,
      ObjectNode plugin,
      Map<String, JsonNode> runtime,
      Optional<ObjectNode> prevResult) {
    ObjectNode out = CniJson.object();
    out.put("cniVersion", list.cniVersion());
    out.put("name", list.name());
    for (Iterator<Map.Entry<String, JsonNode>> it = plugin.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getKey().equals("capabilities") && !e.getKey().startsWith("cni.dev/")) {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    ObjectNode rc = CniJson.object();
    JsonNode caps = plugin.path("capabilities");
    for (var e : runtime.entrySet()) {
      if (caps.path(e.getKey()).asBoolean(false)) {
        rc.set(e.getKey(), e.getValue());
      }
    }
    if (!rc.isEmpty()) {
      out.set("runtimeConfig", rc);
    }
    prevResult.ifPresent(p -> out.set("prevResult", p));
    return out;
  }

  private static ObjectNode parseResult(ExecResult r, ObjectNode plugin) throws CniException {
    if (!r.ok()) {
      throw error(r, plugin);
    }
    try {
      return CniJson.parseConfig(r.stdout());
    } catch (CniException e) {
      throw CniException.internal(
          "plugin type=\"" + plugin.path("type").asText() + "\" returned an invalid result");
    }
  }

  private static CniException error(ExecResult r, ObjectNode plugin) {
    String type = plugin.path("type").asText();
    try {
      ObjectNode e = CniJson.parseConfig(r.stdout());
      return new CniException(
          e.path("code").asInt(CniException.INTERNAL),
          "plugin type=\""
              + type
              + "\" failed ("
              + e.path("code").asInt()
              + "): "
              + e.path("msg").asText(),
          e.path("details").asText(""));
    } catch (CniException notJson) {
      return CniException.internal(
          "plugin type=\""
              + type
              + "\" failed: "
              + (r.stderr().isEmpty() ? r.stdout() : r.stderr()).strip());
    }
  }
}
