package dev.podpath.kube.print;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The columns kubectl's table printers show per kind, default and wide. */
final class TableRows {

  private TableRows() {}

  /** A ControllerRevision's CONTROLLER column: {@code daemonset.apps/NAME}, or {@code <none>}. */
  private static String controller(ControllerRevision c) {
    for (var r : c.getMetadata().getOwnerReferences()) {
      if (Boolean.TRUE.equals(r.getController())) {
        String group =
            r.getApiVersion() == null || !r.getApiVersion().contains("/")
                ? ""
                : "." + r.getApiVersion().substring(0, r.getApiVersion().indexOf('/'));
        return r.getKind().toLowerCase(java.util.Locale.ROOT) + group + "/" + r.getName();
      }
    }
    return "<none>";
  }

  static List<String> header(HasMetadata sample, boolean wide) {
    List<String> h =
        switch (sample) {
          case Pod p ->
              wide
                  ? List.of(
                      "NAME",
                      "READY",
                      "STATUS",
                      "RESTARTS",
                      "AGE",
                      "IP",
                      "NODE",
                      "NOMINATED NODE",
                      "READINESS GATES")
                  : List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE");
          case Service s ->
              wide
                  ? List.of(
                      "NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR")
                  : List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE");
          case Endpoints e -> List.of("NAME", "ENDPOINTS", "AGE");
          case EndpointSlice e -> List.of("NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE");
          case Deployment d ->
              wide
                  ? List.of(
                      "NAME",
                      "READY",
                      "UP-TO-DATE",
                      "AVAILABLE",
                      "AGE",
                      "CONTAINERS",
                      "IMAGES",
                      "SELECTOR")
                  : List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
          case ReplicaSet r ->
              wide
                  ? List.of(
                      "NAME",
                      "DESIRED",
                      "CURRENT",
                      "READY",
                      "AGE",
                      "CONTAINERS",
                      "IMAGES",
                      "SELECTOR")
                  : List.of("NAME", "DESIRED", "CURRENT", "READY", "AGE");
          case StatefulSet s ->
              wide
                  ? List.of("NAME", "READY", "AGE", "CONTAINERS", "IMAGES")
                  : List.of("NAME", "READY", "AGE");
          case DaemonSet d ->
              wide
                  ? List.of(
                      "NAME",
                      "DESIRED",
                      "CURRENT",
                      "READY",
                      "UP-TO-DATE",
                      "AVAILABLE",
                      "NODE SELECTOR",
                      "AGE",
                      "CONTAINERS",
                      "IMAGES",
                      "SELECTOR")
                  : List.of(
                      "NAME",
                      "DESIRED",
                      "CURRENT",
                      "READY",
                      "UP-TO-DATE",
                      "AVAILABLE",
                      "NODE SELECTOR",
                      "AGE");
          case Node n ->
              wide
                  ? List.of(
                      "NAME",
                      "STATUS",
                      "ROLES",
                      "AGE",
                      "VERSION",
                      "INTERNAL-IP",
                      "EXTERNAL-IP",
                      "OS-IMAGE",
                      "KERNEL-VERSION",
                      "CONTAINER-RUNTIME")
                  : List.of("NAME", "STATUS", "ROLES", "AGE", "VERSION");
          case Namespace n -> List.of("NAME", "STATUS", "AGE");
          case NetworkPolicy n -> List.of("NAME", "POD-SELECTOR", "AGE");
          case PersistentVolumeClaim c ->
              List.of(
                  "NAME",
                  "STATUS",
                  "VOLUME",
                  "CAPACITY",
                  "ACCESS MODES",
                  "STORAGECLASS",
                  "VOLUMEATTRIBUTESCLASS",
                  "AGE");
          case ConfigMap c -> List.of("NAME", "DATA", "AGE");
          case ControllerRevision c -> List.of("NAME", "CONTROLLER", "REVISION", "AGE");
          default -> List.of("NAME", "AGE");
        };
    return h;
  }

  static List<String> row(HasMetadata o, boolean wide, Instant now) {
    String name = o.getMetadata().getName();
    String age = Ages.since(o.getMetadata().getCreationTimestamp(), now);
    List<String> r = new ArrayList<>();
    r.add(name);
    switch (o) {
      case Pod p -> {
        int total = p.getSpec().getContainers().size();
        long ready =
            p.getStatus() == null
                ? 0
                : p.getStatus().getContainerStatuses().stream()
                    .filter(c -> Boolean.TRUE.equals(c.getReady()))
                    .count();
        r.addAll(List.of(ready + "/" + total, podStatus(p), restarts(p), age));
        if (wide) {
          r.addAll(
              List.of(
                  or(p.getStatus() == null ? null : p.getStatus().getPodIP()),
                  or(p.getSpec().getNodeName()),
                  "<none>",
                  "<none>"));
        }
      }
      case Service s -> {
        r.addAll(
            List.of(
                Objects.toString(s.getSpec().getType(), "ClusterIP"),
                clusterIp(s),
                externalIp(s),
                servicePorts(s),
                age));
        if (wide) {
          r.add(selector(s.getSpec().getSelector()));
        }
      }
      case Endpoints e -> r.addAll(List.of(endpoints(e), age));
      case EndpointSlice e ->
          r.addAll(
              List.of(
                  Objects.toString(e.getAddressType(), ""), slicePorts(e), sliceEndpoints(e), age));
      case Deployment d -> {
        var st = d.getStatus();
        int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        r.addAll(
            List.of(
                nz(st == null ? null : st.getReadyReplicas()) + "/" + want,
                String.valueOf(nz(st == null ? null : st.getUpdatedReplicas())),
                String.valueOf(nz(st == null ? null : st.getAvailableReplicas())),
                age));
        if (wide) {
          r.addAll(containers(d.getSpec().getTemplate()));
          r.add(selector(d.getSpec().getSelector()));
        }
      }
      case ReplicaSet rs -> {
        var st = rs.getStatus();
        r.addAll(
            List.of(
                String.valueOf(rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas()),
                String.valueOf(nz(st == null ? null : st.getReplicas())),
                String.valueOf(nz(st == null ? null : st.getReadyReplicas())),
                age));
        if (wide) {
          r.addAll(containers(rs.getSpec().getTemplate()));
          r.add(selector(rs.getSpec().getSelector()));
        }
      }
      case StatefulSet s -> {
        int want = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
        r.addAll(
            List.of(
                nz(s.getStatus() == null ? null : s.getStatus().getReadyReplicas()) + "/" + want,
                age));
        if (wide) {
          r.addAll(containers(s.getSpec().getTemplate()));
        }
      }
      case DaemonSet d -> {
        var st = d.getStatus();
        r.addAll(
            List.of(
                String.valueOf(nz(st == null ? null : st.getDesiredNumberScheduled())),
                String.valueOf(nz(st == null ? null : st.getCurrentNumberScheduled())),
                String.valueOf(nz(st == null ? null : st.getNumberReady())),
                String.valueOf(nz(st == null ? null : st.getUpdatedNumberScheduled())),
                String.valueOf(nz(st == null ? null : st.getNumberAvailable())),
                selector(d.getSpec().getTemplate().getSpec().getNodeSelector()),
                age));
        if (wide) {
          r.addAll(containers(d.getSpec().getTemplate()));
          r.add(selector(d.getSpec().getSelector()));
        }
      }
      case Node n -> {
        r.addAll(List.of(nodeStatus(n), roles(n), age, nodeInfo(n, "kubelet")));
        if (wide) {
          r.addAll(
              List.of(
                  nodeAddress(n, "InternalIP"),
                  nodeAddress(n, "ExternalIP"),
                  nodeInfo(n, "os"),
                  nodeInfo(n, "kernel"),
                  nodeInfo(n, "runtime")));
        }
      }
      case Namespace n ->
          r.addAll(
              List.of(
                  n.getStatus() == null || n.getStatus().getPhase() == null
                      ? "Active"
                      : n.getStatus().getPhase(),
                  age));
      case NetworkPolicy n -> r.addAll(List.of(selector(n.getSpec().getPodSelector()), age));
      case PersistentVolumeClaim c -> {
        var cap =
            c.getStatus() == null || c.getStatus().getCapacity() == null
                ? null
                : c.getStatus().getCapacity().get("storage");
        r.addAll(
            List.of(
                c.getStatus() == null
                    ? "Pending"
                    : Objects.toString(c.getStatus().getPhase(), "Pending"),
                Objects.toString(c.getSpec().getVolumeName(), ""),
                cap == null ? "" : cap.toString(),
                String.join(",", accessModes(c)),
                "<unset>",
                "<unset>",
                age));
      }
      case ConfigMap c ->
          r.addAll(
              List.of(
                  String.valueOf(
                      (c.getData() == null ? 0 : c.getData().size())
                          + (c.getBinaryData() == null ? 0 : c.getBinaryData().size())),
                  age));
      case ControllerRevision c ->
          r.addAll(List.of(controller(c), String.valueOf(c.getRevision()), age));
      default -> r.add(age);
    }
    return r;
  }

  private static List<String> accessModes(PersistentVolumeClaim c) {
    List<String> out = new ArrayList<>();
    for (String m : c.getSpec().getAccessModes()) {
      out.add(
          switch (m) {
            case "ReadWriteOnce" -> "RWO";
            case "ReadOnlyMany" -> "ROX";
            case "ReadWriteMany" -> "RWX";
            case "ReadWriteOncePod" -> "RWOP";
            default -> m;
          });
    }
    return out;
  }

  static String podStatus(Pod p) {
    if (p.getMetadata().getDeletionTimestamp() != null) {
      return "Terminating";
    }
    if (p.getStatus() == null || p.getStatus().getPhase() == null) {
      return "Pending";
    }
    return p.getStatus().getReason() != null ? p.getStatus().getReason() : p.getStatus().getPhase();
  }

  private static String restarts(Pod p) {
    if (p.getStatus() == null) {
      return "0";
    }
    return String.valueOf(
        p.getStatus().getContainerStatuses().stream()
            .mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount())
            .sum());
  }

  private static String clusterIp(Service s) {
    if ("ExternalName".equals(s.getSpec().getType())) {
      return "<none>";
    }
    return or(s.getSpec().getClusterIP());
  }

  private static String externalIp(Service s) {
    String type = Objects.toString(s.getSpec().getType(), "ClusterIP");
    if (type.equals("ExternalName")) {
      return or(s.getSpec().getExternalName());
    }
    List<String> ips = new ArrayList<>();
    if (type.equals("LoadBalancer")) {
      ips.addAll(loadBalancerIngress(s));
    }
    ips.addAll(s.getSpec().getExternalIPs());
    if (!ips.isEmpty()) {
      return String.join(",", ips);
    }
    return type.equals("LoadBalancer") ? "<pending>" : "<none>";
  }

  /** kubectl's loadBalancerStatusStringer: each ingress IP, or its hostname. */
  private static List<String> loadBalancerIngress(Service s) {
    if (s.getStatus() == null
        || s.getStatus().getLoadBalancer() == null
        || s.getStatus().getLoadBalancer().getIngress() == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (var i : s.getStatus().getLoadBalancer().getIngress()) {
      if (i.getIp() != null && !i.getIp().isEmpty()) {
        out.add(i.getIp());
      } else if (i.getHostname() != null && !i.getHostname().isEmpty()) {
        out.add(i.getHostname());
      }
    }
    return out;
  }

  private static String servicePorts(Service s) {
    List<ServicePort> ports = s.getSpec().getPorts();
    if (ports.isEmpty()) {
      return "<none>";
    }
    return ports.stream()
        .map(
            p ->
                p.getPort()
                    + (p.getNodePort() == null ? "" : ":" + p.getNodePort())
                    + "/"
                    + Objects.toString(p.getProtocol(), "TCP"))
        .collect(Collectors.joining(","));
  }

  private static String endpoints(Endpoints e) {
    List<String> all = new ArrayList<>();
    for (EndpointSubset s : e.getSubsets()) {
      for (EndpointAddress a : s.getAddresses()) {
        if (s.getPorts().isEmpty()) {
          all.add(a.getIp());
        }
        s.getPorts().forEach(p -> all.add(a.getIp() + ":" + p.getPort()));
      }
    }
    return capped(all);
  }

  private static String slicePorts(EndpointSlice e) {
    if (e.getPorts() == null || e.getPorts().isEmpty()) {
      return "<unset>";
    }
    List<String> ports = e.getPorts().stream().map(p -> String.valueOf(p.getPort())).toList();
    if (ports.size() > 3) {
      return String.join(",", ports.subList(0, 3)) + " + " + (ports.size() - 3) + " more...";
    }
    return String.join(",", ports);
  }

  private static String sliceEndpoints(EndpointSlice e) {
    List<String> all = new ArrayList<>();
    e.getEndpoints().forEach(ep -> all.addAll(ep.getAddresses()));
    return all.isEmpty() ? "<unset>" : capped(all);
  }

  private static String capped(List<String> all) {
    if (all.isEmpty()) {
      return "<none>";
    }
    if (all.size() > 3) {
      return String.join(",", all.subList(0, 3)) + " + " + (all.size() - 3) + " more...";
    }
    return String.join(",", all);
  }

  private static List<String> containers(PodTemplateSpec t) {
    List<Container> cs = t.getSpec().getContainers();
    return List.of(
        cs.stream().map(Container::getName).collect(Collectors.joining(",")),
        cs.stream().map(c -> Objects.toString(c.getImage(), "")).collect(Collectors.joining(",")));
  }

  private static String selector(Map<String, String> sel) {
    if (sel == null || sel.isEmpty()) {
      return "<none>";
    }
    return new TreeMap<>(sel)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
  }

  private static String selector(LabelSelector sel) {
    if (sel == null) {
      return "<none>";
    }
    String text = dev.podpath.kube.select.LabelSelectors.fromLabelSelector(sel).toString();
    return text.isEmpty() ? "<none>" : text;
  }

  private static String nodeStatus(Node n) {
    String ready = "Unknown";
    if (n.getStatus() != null) {
      for (var c : n.getStatus().getConditions()) {
        if ("Ready".equals(c.getType())) {
          ready = "True".equals(c.getStatus()) ? "Ready" : "NotReady";
        }
      }
    }
    return ready
        + (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())
            ? ",SchedulingDisabled"
            : "");
  }

  private static String roles(Node n) {
    List<String> roles = new ArrayList<>();
    if (n.getMetadata().getLabels() != null) {
      for (String k : new TreeMap<>(n.getMetadata().getLabels()).keySet()) {
        if (k.startsWith("node-role.kubernetes.io/")) {
          roles.add(k.substring("node-role.kubernetes.io/".length()));
        }
      }
    }
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static String nodeAddress(Node n, String type) {
    if (n.getStatus() != null) {
      for (NodeAddress a : n.getStatus().getAddresses()) {
        if (type.equals(a.getType())) {
          return a.getAddress();
        }
      }
    }
    return "<none>";
  }

  private static String nodeInfo(Node n, String what) {
    var info = n.getStatus() == null ? null : n.getStatus().getNodeInfo();
    if (info == null) {
      return what.equals("kubelet") ? "" : "<unknown>";
    }
    return Objects.toString(
        switch (what) {
          case "kubelet" -> info.getKubeletVersion();
          case "os" -> info.getOsImage();
          case "kernel" -> info.getKernelVersion();
          default -> info.getContainerRuntimeVersion();
        },
        "");
  }

  private static String or(String s) {
    return s == null || s.isEmpty() ? "<none>" : s;
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }
}
