package dev.podpath.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a KubeProxyConfiguration (YAML or JSON, {@code kubeproxy.config.k8s.io/v1alpha1}), applying
 * upstream's defaults to absent fields. A bad field gives an {@link IllegalArgumentException}
 * naming its path.
 */
public final class KubeProxyConfigurationReader {

  /** {@code apiVersion} accepted. */
  public static final String API_VERSION = "kubeproxy.config.k8s.io/v1alpha1";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private KubeProxyConfigurationReader() {}

  /** Parses one document of text. */
  public static KubeProxyConfiguration parse(String text) {
    try {
      return fromTree(YAML.readTree(text));
    } catch (IOException e) {
      throw new IllegalArgumentException("KubeProxyConfiguration: " + e.getMessage(), e);
    }
  }

  /** Whether a parsed manifest is a KubeProxyConfiguration. */
  public static boolean isConfiguration(JsonNode node) {
    return "KubeProxyConfiguration".equals(node.path("kind").asText())
        && node.path("apiVersion").asText().startsWith("kubeproxy.config.k8s.io/");
  }

  /** Reads an already parsed document. */
  public static KubeProxyConfiguration fromTree(JsonNode n) {
    if (!isConfiguration(n)) {
      throw new IllegalArgumentException(
          "not a KubeProxyConfiguration: kind "
              + n.path("kind").asText("<none>")
              + ", apiVersion "
              + n.path("apiVersion").asText("<none>"));
    }
    var d = KubeProxyConfiguration.defaults();
    JsonNode ipt = n.path("iptables");
    JsonNode ipvs = n.path("ipvs");
    JsonNode ct = n.path("conntrack");
    JsonNode dl = n.path("detectLocal");
    List<String> cidrs =
        n.path("clusterCIDR").asText("").isBlank()
            ? List.of()
            : Arrays.stream(n.path("clusterCIDR").asText().split(",")).map(String::strip).toList();
    Map<String, Boolean> gates = new TreeMap<>();
    n.path("featureGates")
        .properties()
        .forEach(e -> gates.put(e.getKey(), e.getValue().asBoolean()));
    return new KubeProxyConfiguration(
        ProxyMode.parse(n.path("mode").asText("")),
        n.path("hostnameOverride").asText(""),
        cidrs,
        n.path("detectLocalMode").asText("").isEmpty()
            ? d.detectLocalMode()
            : n.path("detectLocalMode").asText(),
        dl.path("bridgeInterface").asText(""),
        dl.path("interfaceNamePrefix").asText(""),
        bool(ipt, "masqueradeAll", "iptables.masqueradeAll", d.masqueradeAll()),
        integer(ipt, "masqueradeBit", "iptables.masqueradeBit", d.masqueradeBit()),
        bool(ipt, "localhostNodePorts", "iptables.localhostNodePorts", d.localhostNodePorts()),
        duration(
            n.has("syncPeriod") ? n : ipt, "syncPeriod", "iptables.syncPeriod", d.syncPeriod()),
        duration(
            n.has("minSyncPeriod") ? n : ipt,
            "minSyncPeriod",
            "iptables.minSyncPeriod",
            d.minSyncPeriod()),
        strings(n.path("nodePortAddresses")),
        bool(ct, "tcpBeLiberal", "conntrack.tcpBeLiberal", d.tcpBeLiberal()),
        ipvs.path("scheduler").asText(""),
        bool(ipvs, "strictARP", "ipvs.strictARP", false),
        strings(ipvs.path("excludeCIDRs")),
        duration(ipvs, "tcpTimeout", "ipvs.tcpTimeout", Duration.ZERO),
        duration(ipvs, "tcpFinTimeout", "ipvs.tcpFinTimeout", Duration.ZERO),
        duration(ipvs, "udpTimeout", "ipvs.udpTimeout", Duration.ZERO),
        gates);
  }

  private static boolean bool(JsonNode parent, String field, String path, boolean dflt) {
    JsonNode v = parent.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(path + ": must be true or false, got " + v);
    }
    return v.asBoolean();
  }

  private static int integer(JsonNode parent, String field, String path, int dflt) {
    JsonNode v = parent.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return dflt;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException(path + ": must be an integer, got " + v);
    }
    return v.asInt();
  }

  private static Duration duration(JsonNode parent, String field, String path, Duration dflt) {
    JsonNode v = parent.path(field);
    if (v.isMissingNode() || v.isNull() || v.asText().isEmpty()) {
      return dflt;
    }
    try {
      return GoDuration.parse(v.asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asText()));
    return out;
  }
}
