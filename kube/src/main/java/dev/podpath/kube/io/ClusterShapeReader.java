package dev.podpath.kube.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.kube.shape.CniMode;
import dev.podpath.kube.shape.NodeShape;
import dev.podpath.kube.shape.ProxyMode;
import dev.podpath.kube.shape.TaintSpec;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads podpath's {@code Cluster} document (see {@link ClusterShape} for its fields). */
final class ClusterShapeReader {

  private static final Set<String> SPEC_FIELDS =
      Set.of(
          "nodes",
          "clusterCIDR",
          "nodeCIDRMaskSize",
          "serviceCIDR",
          "clusterDomain",
          "proxyMode",
          "cni");
  private static final Set<String> NODE_FIELDS =
      Set.of("name", "role", "labels", "taints", "capacity", "addresses");

  private ClusterShapeReader() {}

  /** Reads a Cluster document; unknown fields and bad values are errors at {@code src}. */
  static ClusterShape fromJson(JsonNode doc, Source src) {
    try {
      return read(doc);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(src, "Cluster: " + e.getMessage());
    }
  }

  private static ClusterShape read(JsonNode doc) {
    if (!doc.path("apiVersion").asText().equals(ClusterShape.API_VERSION)) {
      throw new IllegalArgumentException(
          "no matches for kind \"Cluster\" in version \"" + doc.path("apiVersion").asText() + "\"");
    }
    JsonNode spec = doc.path("spec");
    checkFields(spec, SPEC_FIELDS, "spec");
    String name = doc.path("metadata").path("name").asText("podpath");
    List<NodeShape> nodes = new ArrayList<>();
    JsonNode nodeList = spec.path("nodes");
    for (int i = 0; i < nodeList.size(); i++) {
      nodes.add(readNode(nodeList.get(i), i));
    }
    if (nodes.isEmpty()) {
      nodes = ClusterShape.defaultNodes();
    }
    List<IpPrefix> cluster = cidrs(spec.path("clusterCIDR").asText("10.244.0.0/16"));
    List<IpPrefix> service = cidrs(spec.path("serviceCIDR").asText("10.96.0.0/12"));
    int mask = spec.path("nodeCIDRMaskSize").asInt(24);
    String domain = spec.path("clusterDomain").asText("cluster.local");
    ProxyMode proxy =
        enumValue(ProxyMode.class, spec.path("proxyMode").asText("iptables"), "spec.proxyMode");
    CniMode cni = enumValue(CniMode.class, spec.path("cni").asText("routed"), "spec.cni");
    return new ClusterShape(name, nodes, cluster, mask, service, domain, proxy, cni);
  }

  private static NodeShape readNode(JsonNode n, int index) {
    String path = "spec.nodes[" + index + "]";
    checkFields(n, NODE_FIELDS, path);
    String name = n.path("name").asText("");
    if (name.isEmpty()) {
      throw new IllegalArgumentException(path + ".name: Required value");
    }
    Map<String, String> labels = new TreeMap<>();
    n.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    List<TaintSpec> taints = new ArrayList<>();
    for (JsonNode t : n.path("taints")) {
      taints.add(
          t.isTextual()
              ? TaintSpec.parse(t.asText())
              : new TaintSpec(
                  t.path("key").asText(), t.path("value").asText(""), t.path("effect").asText()));
    }
    Map<String, String> capacity = new TreeMap<>();
    n.path("capacity").properties().forEach(e -> capacity.put(e.getKey(), e.getValue().asText()));
    String role = n.path("role").asText("");
    if (!role.isEmpty() && !role.equals("control-plane") && !role.equals("worker")) {
      throw new IllegalArgumentException(
          path
              + ".role: Unsupported value: \""
              + role
              + "\": supported values: \"control-plane\", \"worker\"");
    }
    NodeShape base = ClusterShape.node(name, role, labels, taints, capacity, index);
    List<IpAddress> addrs = new ArrayList<>();
    for (JsonNode a : n.path("addresses")) {
      addrs.add(IpAddress.parse(a.asText()));
    }
    return addrs.isEmpty()
        ? base
        : new NodeShape(name, base.labels(), base.taints(), base.capacity(), addrs);
  }

  private static void checkFields(JsonNode obj, Set<String> known, String path) {
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new IllegalArgumentException("unknown field \"" + path + "." + f + "\"");
      }
    }
  }

  private static List<IpPrefix> cidrs(String text) {
    List<IpPrefix> out = new ArrayList<>();
    for (String part : text.split(",")) {
      out.add(IpPrefix.parse(part.trim()));
    }
    return out;
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String text, String path) {
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": Unsupported value: \"" + text + "\"");
    }
  }
}
