package dev.podpath.kube.shape;

import dev.podpath.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One node of a cluster shape: its name, labels, taints, capacity and underlay addresses. */
public record NodeShape(
    String name,
    Map<String, String> labels,
    List<TaintSpec> taints,
    Map<String, String> capacity,
    List<IpAddress> addresses) {

  /** The capacity a node gets when the shape says nothing (kind's defaults on a laptop). */
  public static final Map<String, String> DEFAULT_CAPACITY =
      Map.of("cpu", "4", "memory", "8Gi", "pods", "110");

  /** The control-plane role's label and taint, as kubeadm sets them. */
  public static final String CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";

  public NodeShape {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("NodeShape.name must not be empty");
    }
    labels = Map.copyOf(new TreeMap<>(labels));
    taints = List.copyOf(taints);
    TreeMap<String, String> cap = new TreeMap<>(DEFAULT_CAPACITY);
    cap.putAll(capacity);
    capacity = Map.copyOf(cap);
    addresses = List.copyOf(addresses);
  }

  /** Whether this node carries the control-plane role label. */
  public boolean isControlPlane() {
    return labels.containsKey(CONTROL_PLANE_LABEL);
  }
}
