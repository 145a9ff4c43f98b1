package dev.podpath.dns.records;

/** How DNS treats a Service. */
public enum ServiceKind {
  /** A virtual IP (ClusterIP, NodePort, LoadBalancer): answers with the ClusterIPs. */
  CLUSTER_IP,
  /** {@code clusterIP: None}: answers with the ready endpoint addresses. */
  HEADLESS,
  /** {@code type: ExternalName}: answers with a CNAME. */
  EXTERNAL_NAME
}
