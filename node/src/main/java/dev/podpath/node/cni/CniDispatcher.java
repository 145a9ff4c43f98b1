package dev.podpath.node.cni;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What libcni's {@code skel} does around a plugin (CNI library 1.1.2, as in Debian 12's plugins):
 * reads the environment (missing variables are error 4, listed in order), validates the config's
 * network name, the container id (error 3 when empty) and the interface name, checks the config's
 * {@code cniVersion} against the plugin's (error 1), dispatches the command (unknown commands, GC
 * and STATUS included, are error 4), and prints errors as JSON on stdout with exit status 1.
 */
public final class CniDispatcher {

  private static final Pattern VALID_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
  private static final List<String> VARS =
      List.of(
          "CNI_COMMAND",
          "CNI_CONTAINERID",
          "CNI_NETNS",
          "CNI_IFNAME",
          "CNI_ARGS",
          "CNI_PATH",
          "CNI_NETNS_OVERRIDE");

  private CniDispatcher() {}

  /** Runs {@code plugin} as its binary would run with this environment and stdin. */
  public static ExecResult exec(
      CniPlugin plugin, Map<String, String> env, String stdin, PluginEnvironment pe) {
    try {
      String out = dispatch(plugin, env, stdin, pe);
      return new ExecResult(0, out, "");
    } catch (CniException e) {
      return new ExecResult(1, e.toJson(), "");
    } catch (AboutRequested about) {
      return new ExecResult(0, "", about.getMessage());
    }
  }

  private static final class AboutRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AboutRequested(String text) {
      super(text, null, false, false);
    }
  }

  private static String dispatch(
      CniPlugin plugin, Map<String, String> env, String stdin, PluginEnvironment pe)
      throws CniException {
    String cmd = env.getOrDefault("CNI_COMMAND", "");
    var missing = new ArrayList<String>();
    for (String v : VARS) {
      if (env.getOrDefault(v, "").isEmpty() && (v.equals("CNI_COMMAND") || required(v, cmd))) {
        missing.add(v);
      }
    }
    if (!missing.isEmpty()) {
      if (cmd.isEmpty()) {
        throw new AboutRequested(
            "CNI "
                + plugin.type()
                + " plugin version unknown\n"
                + "CNI protocol versions supported: "
                + String.join(", ", plugin.supportedVersions())
                + "\n");
      }
      throw new CniException(
          CniException.INVALID_ENVIRONMENT,
          "required env variables [" + String.join(",", missing) + "] missing",
          "");
    }
    if (cmd.equals("VERSION")) {
      var node = CniJson.object();
      // skel reads no stdin for VERSION: the answer names the library's current version
      node.put("cniVersion", newest(plugin.supportedVersions()));
      var arr = node.putArray("supportedVersions");
      plugin.supportedVersions().forEach(arr::add);
      return CniJson.compact(node);
    }
    ObjectNode config = CniJson.parseConfig(stdin);
    String name = config.path("name").asText("");
    if (name.isEmpty()) {
      throw new CniException(CniException.INVALID_NETWORK_CONFIG, "missing network name:", "");
    }
    if (!VALID_NAME.matcher(name).matches()) {
      throw new CniException(
          CniException.INVALID_NETWORK_CONFIG, "invalid characters found in network name", name);
    }
    String id = env.getOrDefault("CNI_CONTAINERID", "");
    if (id.isEmpty()) {
      throw new CniException(CniException.UNKNOWN_CONTAINER, "missing containerID", "");
    }
    if (!VALID_NAME.matcher(id).matches()) {
      throw new CniException(
          CniException.INVALID_ENVIRONMENT, "invalid characters in containerID", id);
    }
    validateInterfaceName(env.getOrDefault("CNI_IFNAME", ""));
    CniCommand command =
        switch (cmd) {
          case "ADD" -> CniCommand.ADD;
          case "DEL" -> CniCommand.DEL;
          case "CHECK" -> CniCommand.CHECK;
          default ->
              throw new CniException(
                  CniException.INVALID_ENVIRONMENT, "unknown CNI_COMMAND: " + cmd, "");
        };
    String version = config.path("cniVersion").asText("");
    if (version.isEmpty()) {
      version = "0.1.0";
    }
    if (!plugin.supportedVersions().contains(version)) {
      throw new CniException(
          CniException.INCOMPATIBLE_VERSION,
          "incompatible CNI versions",
          "config is \""
              + version
              + "\", plugin supports ["
              + plugin.supportedVersions().stream()
                  .map(v -> "\"" + v + "\"")
                  .collect(Collectors.joining(" "))
              + "]");
    }
    var request =
        new CniRequest(
            command,
            id,
            env.getOrDefault("CNI_NETNS", ""),
            env.getOrDefault("CNI_IFNAME", ""),
            CniRequest.parseArgs(env.getOrDefault("CNI_ARGS", "")),
            Arrays.asList(env.getOrDefault("CNI_PATH", "").split(":")),
            config);
    return switch (command) {
      case ADD -> CniJson.indented(plugin.add(request, pe));
      case DEL -> {
        plugin.del(request, pe);
        yield "";
      }
      case CHECK -> {
        if (compareVersions(version, "0.4.0") < 0) {
          throw new CniException(
              CniException.INCOMPATIBLE_VERSION, "config version does not allow CHECK", "");
        }
        plugin.check(request, pe);
        yield "";
      }
      default -> throw new IllegalStateException("unreachable: " + command);
    };
  }

  private static boolean required(String var, String cmd) {
    boolean addCheckDel = cmd.equals("ADD") || cmd.equals("CHECK") || cmd.equals("DEL");
    return switch (var) {
      case "CNI_CONTAINERID", "CNI_IFNAME", "CNI_PATH" -> addCheckDel;
      case "CNI_NETNS" -> cmd.equals("ADD") || cmd.equals("CHECK");
      default -> false;
    };
  }

  private static void validateInterfaceName(String ifName) throws CniException {
    if (ifName.isEmpty()) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, "interface name is empty", "");
    }
    if (ifName.length() > 15) {
      throw new CniException(
          CniException.INVALID_ENVIRONMENT,
          "interface name is too long",
          "interface name should be less than 16 characters");
    }
    if (ifName.equals(".") || ifName.equals("..")) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, "interface name is . or ..", "");
    }
    if (ifName.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
      throw new CniException(
          CniException.INVALID_ENVIRONMENT,
          "interface name contains / or : or whitespace characters",
          "");
    }
  }

  /** The newest of the versions. */
  private static String newest(List<String> supported) {
    String best = supported.get(0);
    for (String v : supported) {
      if (compareVersions(v, best) > 0) {
        best = v;
      }
    }
    return best;
  }

  /** Compares dotted semantic versions numerically. */
  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int xi = i < x.length ? parse(x[i]) : 0;
      int yi = i < y.length ? parse(y[i]) : 0;
      if (xi != yi) {
        return Integer.compare(xi, yi);
      }
    }
    return 0;
  }

  private static int parse(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
