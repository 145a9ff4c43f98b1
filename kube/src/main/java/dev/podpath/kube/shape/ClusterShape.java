package dev.podpath.kube.shape;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * podpath's {@code Cluster} kind ({@code apiVersion: podpath.dev/v1alpha1}): the shape of the
 * cluster the control plane runs in. Every field has a default, so an absent {@code Cluster} gives
 * one control-plane node and two workers, pod CIDR 10.244.0.0/16 with a /24 per node, service CIDR
 * 10.96.0.0/12, domain {@code cluster.local}, iptables proxy mode, routed CNI.
 *
 * <pre>
 * apiVersion: podpath.dev/v1alpha1
 * kind: Cluster
 * metadata: {name: demo}
 * spec:
 *   clusterCIDR: 10.244.0.0/16          # comma-separated for dual stack
 *   nodeCIDRMaskSize: 24
 *   serviceCIDR: 10.96.0.0/12           # comma-separated for dual stack
 *   clusterDomain: cluster.local
 *   proxyMode: iptables                 # iptables | ipvs | nftables
 *   cni: routed                         # routed | overlay
 *   nodes:
 *   - name: control-plane
 *     role: control-plane               # adds the role label and NoSchedule taint
 *   - name: worker
 *     labels: {topology.kubernetes.io/zone: a}
 *     taints: ["dedicated=db:NoSchedule"]
 *     capacity: {cpu: "8", memory: 16Gi, pods: "110"}
 *     addresses: [172.18.0.3]
 * </pre>
 */
public record ClusterShape(
    String name,
    List<NodeShape> nodes,
    List<IpPrefix> clusterCidrs,
    int nodeCidrMaskSize,
    List<IpPrefix> serviceCidrs,
    String clusterDomain,
    ProxyMode proxyMode,
    CniMode cniMode) {

  /** The API group of podpath's own kinds. */
  public static final String API_GROUP = "podpath.dev";

  /** The apiVersion of the Cluster kind. */
  public static final String API_VERSION = API_GROUP + "/v1alpha1";

  public ClusterShape {
    nodes = List.copyOf(nodes);
    clusterCidrs = List.copyOf(clusterCidrs);
    serviceCidrs = List.copyOf(serviceCidrs);
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("ClusterShape.nodes must not be empty");
    }
    if (clusterCidrs.isEmpty() || serviceCidrs.isEmpty()) {
      throw new IllegalArgumentException("ClusterShape needs a cluster and a service CIDR");
    }
    for (IpPrefix p : clusterCidrs) {
      int bits = p.family().bits();
      int mask = p.family().bits() == 32 ? nodeCidrMaskSize : Math.max(nodeCidrMaskSize, 64);
      if (mask < p.length() || mask > bits) {
        throw new IllegalArgumentException(
            "ClusterShape.nodeCidrMaskSize "
                + nodeCidrMaskSize
                + " does not fit cluster CIDR "
                + p);
      }
    }
  }

  /** The default shape: control-plane, worker and worker2. */
  public static ClusterShape defaults() {
    return new ClusterShape(
        "podpath",
        defaultNodes(),
        List.of(IpPrefix.parse("10.244.0.0/16")),
        24,
        List.of(IpPrefix.parse("10.96.0.0/12")),
        "cluster.local",
        ProxyMode.IPTABLES,
        CniMode.ROUTED);
  }

  /** The default nodes: control-plane (tainted), worker and worker2. */
  public static List<NodeShape> defaultNodes() {
    return List.of(
        node("control-plane", "control-plane", Map.of(), List.of(), Map.of(), 0),
        node("worker", "", Map.of(), List.of(), Map.of(), 1),
        node("worker2", "", Map.of(), List.of(), Map.of(), 2));
  }

  /** A node with a role ("control-plane" adds the role label and taint) and default address. */
  public static NodeShape node(
      String name,
      String role,
      Map<String, String> labels,
      List<TaintSpec> taints,
      Map<String, String> capacity,
      int index) {
    TreeMap<String, String> l = new TreeMap<>(labels);
    List<TaintSpec> t = new ArrayList<>(taints);
    if (role.equals("control-plane")) {
      l.put(NodeShape.CONTROL_PLANE_LABEL, "");
      t.add(new TaintSpec(NodeShape.CONTROL_PLANE_LABEL, "", "NoSchedule"));
    }
    return new NodeShape(name, l, t, capacity, List.of(defaultAddress(index)));
  }

  /** The underlay address of the i-th node when none is given: 172.18.0.2, .3, … (kind's). */
  public static IpAddress defaultAddress(int index) {
    return IpAddress.parse("172.18.0." + (2 + index));
  }
}
