package dev.podpath.proxy;

/** {@code spec.type} of a Service; the empty type is treated like {@code ClusterIP}. */
public enum ServiceType {
  CLUSTER_IP,
  NODE_PORT,
  LOAD_BALANCER,
  EXTERNAL_NAME;

  /** Reads {@code spec.type}; absent or unknown text reads as {@link #CLUSTER_IP}. */
  public static ServiceType fromSpec(String type) {
    return switch (type) {
      case "NodePort" -> NODE_PORT;
      case "LoadBalancer" -> LOAD_BALANCER;
      case "ExternalName" -> EXTERNAL_NAME;
      default -> CLUSTER_IP;
    };
  }
}
