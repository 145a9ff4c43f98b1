package dev.podpath.policy.load;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Protocol;
import dev.podpath.policy.model.ContainerPort;
import dev.podpath.policy.model.NamespaceInfo;
import dev.podpath.policy.model.PodInfo;
import dev.podpath.policy.model.Policy;
import dev.podpath.policy.model.ServiceInfo;
import dev.podpath.policy.model.Workload;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a {@link ClusterState} from manifests: Namespaces, Pods (grouped by their controlling
 * owner), workload objects (Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController,
 * Job, CronJob: one pod made from the template), NetworkPolicies. Other kinds are ignored.
 * Duplicate Namespaces or NetworkPolicies are rejected, as {@code kubectl create} would.
 */
public final class ClusterLoader {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Set<String> WORKLOADS =
      Set.of(
          "Deployment",
          "ReplicaSet",
          "StatefulSet",
          "DaemonSet",
          "ReplicationController",
          "Job",
          "CronJob");

  private ClusterLoader() {}

  public static ClusterState load(List<Path> paths) {
    return build(DumpReader.read(paths));
  }

  public static ClusterState build(List<DumpObject> manifests) {
    var namespaces = new TreeMap<String, NamespaceInfo>();
    var pods = new ArrayList<PodInfo>();
    var policies = new LinkedHashMap<String, Policy>();
    var podKeys = new HashSet<String>();
    var services = new ArrayList<ServiceInfo>();
    for (DumpObject m : manifests) {
      switch (m.kind()) {
        case "Namespace" -> {
          String name = m.name();
          if (namespaces.containsKey(name)) {
            throw new InputException(
                m.where(),
                "Namespace \""
                    + name
                    + "\" already exists;"
                    + " only one object of a given kind can have a given name");
          }
          namespaces.put(name, new NamespaceInfo(name, labels(m.object().path("metadata"))));
        }
        case "Pod" -> {
          var p = pod(m.namespace(), m.name(), m.object(), owner(m));
          if (podKeys.add(p.key())) {
            pods.add(p);
          }
        }
        case "Service" -> services.add(service(m));
        case "NetworkPolicy" -> {
          NetworkPolicy np = convert(m, NetworkPolicy.class);
          Policy p = PolicyCompiler.compile(np, m.origin());
          if (policies.putIfAbsent(p.key(), p) != null) {
            throw new InputException(
                m.where(),
                "NetworkPolicy \""
                    + p.key()
                    + "\" already exists;"
                    + " only one object of a given kind can have a given name");
          }
        }
        default -> {
          if (WORKLOADS.contains(m.kind())) {
            JsonNode template =
                m.kind().equals("CronJob")
                    ? m.object().path("spec").path("jobTemplate").path("spec").path("template")
                    : m.object().path("spec").path("template");
            var w = new Workload(m.namespace(), m.name(), m.kind());
            var p =
                pod(
                    m.namespace(),
                    m.name() + "-" + m.kind().toLowerCase(java.util.Locale.ROOT),
                    template,
                    w);
            if (podKeys.add(p.key())) {
              pods.add(p);
            }
          }
        }
      }
    }
    return new ClusterState(namespaces, pods, List.copyOf(policies.values()), services);
  }

  private static ServiceInfo service(DumpObject m) {
    var selector = new TreeMap<String, String>();
    m.object()
        .path("spec")
        .path("selector")
        .properties()
        .forEach(e -> selector.put(e.getKey(), e.getValue().asText()));
    var ports = new ArrayList<ServiceInfo.Port>();
    for (JsonNode p : m.object().path("spec").path("ports")) {
      int port = p.path("port").asInt();
      JsonNode target = p.path("targetPort");
      ports.add(
          new ServiceInfo.Port(
              p.path("name").asText(""),
              port,
              Protocol.find(p.path("protocol").asText("TCP")).orElse(Protocol.TCP),
              target.isMissingNode() || target.isNull()
                  ? Integer.toString(port)
                  : target.asText()));
    }
    return new ServiceInfo(m.namespace(), m.name(), selector, ports);
  }

  private static <T> T convert(DumpObject m, Class<T> type) {
    try {
      return JSON.treeToValue(m.object(), type);
    } catch (Exception e) {
      throw new InputException(
          m.where(),
          "cannot read as "
              + type.getSimpleName()
              + ": "
              + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
  }

  private static Map<String, String> labels(JsonNode metadata) {
    var out = new TreeMap<String, String>();
    metadata.path("labels").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /** The controlling owner; a pod without one (or owned by a Node) is its own workload. */
  private static Workload owner(DumpObject m) {
    for (JsonNode ref : m.object().path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        String kind = ref.path("kind").asText("");
        if (kind.equals("Node")) {
          break;
        }
        return new Workload(
            m.namespace(), ref.path("name").asText(), kind.isEmpty() ? "Pod" : kind);
      }
    }
    return new Workload(m.namespace(), m.name(), "Pod");
  }

  private static PodInfo pod(String ns, String name, JsonNode obj, Workload workload) {
    JsonNode spec = obj.path("spec");
    var ports = new ArrayList<ContainerPort>();
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode c : spec.path(list)) {
        for (JsonNode p : c.path("ports")) {
          String proto = p.path("protocol").asText("TCP");
          ports.add(
              new ContainerPort(
                  p.hasNonNull("name") ? Optional.of(p.path("name").asText()) : Optional.empty(),
                  p.path("containerPort").asInt(),
                  Protocol.find(proto).orElse(Protocol.TCP)));
        }
      }
    }
    var ips = new ArrayList<IpAddress>();
    JsonNode status = obj.path("status");
    for (JsonNode ip : status.path("podIPs")) {
      addIp(ips, ip.path("ip").asText(""));
    }
    if (ips.isEmpty()) {
      addIp(ips, status.path("podIP").asText(""));
    }
    var network =
        spec.path("hostNetwork").asBoolean(false) ? PodInfo.Network.HOST : PodInfo.Network.POD;
    String node = spec.path("nodeName").asText("");
    return new PodInfo(
        ns,
        name,
        labels(obj.path("metadata")),
        ips,
        ports,
        network,
        workload,
        node.isEmpty() ? Optional.empty() : Optional.of(node));
  }

  private static void addIp(List<IpAddress> ips, String text) {
    if (!text.isEmpty() && IpAddress.isValid(text)) {
      var ip = IpAddress.parse(text);
      if (!ips.contains(ip)) {
        ips.add(ip);
      }
    }
  }
}
