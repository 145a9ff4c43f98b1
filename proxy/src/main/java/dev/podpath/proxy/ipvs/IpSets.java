package dev.podpath.proxy.ipvs;

import dev.podpath.net.IpFamily;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The ipsets of kube-proxy's IPVS mode (names, types and comments as upstream has them), filled
 * during one sync. IPv6 sets are named {@code KUBE-6-…}, cut to ipset's 31 characters.
 */
final class IpSets {

  static final String LOOP_BACK = "KUBE-LOOP-BACK";
  static final String CLUSTER_IP = "KUBE-CLUSTER-IP";
  static final String EXTERNAL_IP = "KUBE-EXTERNAL-IP";
  static final String EXTERNAL_IP_LOCAL = "KUBE-EXTERNAL-IP-LOCAL";
  static final String LOAD_BALANCER = "KUBE-LOAD-BALANCER";
  static final String LOAD_BALANCER_FW = "KUBE-LOAD-BALANCER-FW";
  static final String LOAD_BALANCER_LOCAL = "KUBE-LOAD-BALANCER-LOCAL";
  static final String LOAD_BALANCER_SOURCE_IP = "KUBE-LOAD-BALANCER-SOURCE-IP";
  static final String LOAD_BALANCER_SOURCE_CIDR = "KUBE-LOAD-BALANCER-SOURCE-CIDR";
  static final String NODE_PORT_TCP = "KUBE-NODE-PORT-TCP";
  static final String NODE_PORT_LOCAL_TCP = "KUBE-NODE-PORT-LOCAL-TCP";
  static final String NODE_PORT_UDP = "KUBE-NODE-PORT-UDP";
  static final String NODE_PORT_LOCAL_UDP = "KUBE-NODE-PORT-LOCAL-UDP";
  static final String NODE_PORT_SCTP = "KUBE-NODE-PORT-SCTP-HASH";
  static final String NODE_PORT_LOCAL_SCTP = "KUBE-NODE-PORT-LOCAL-SCTP-HASH";
  static final String HEALTH_CHECK_NODE_PORT = "KUBE-HEALTH-CHECK-NODE-PORT";
  static final String IPVS_IPS = "KUBE-IPVS-IPS";

  private record Info(String name, IpSetType type, String comment) {}

  private static final List<Info> INFO =
      List.of(
          new Info(
              LOOP_BACK,
              IpSetType.HASH_IP_PORT_IP,
              "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose"),
          new Info(
              CLUSTER_IP,
              IpSetType.HASH_IP_PORT,
              "Kubernetes service cluster ip + port for masquerade purpose"),
          new Info(
              EXTERNAL_IP,
              IpSetType.HASH_IP_PORT,
              "Kubernetes service external ip + port for masquerade and filter purpose"),
          new Info(
              EXTERNAL_IP_LOCAL,
              IpSetType.HASH_IP_PORT,
              "Kubernetes service external ip + port with externalTrafficPolicy=local"),
          new Info(LOAD_BALANCER, IpSetType.HASH_IP_PORT, "Kubernetes service lb portal"),
          new Info(
              LOAD_BALANCER_FW,
              IpSetType.HASH_IP_PORT,
              "Kubernetes service load balancer ip + port for load balancer with sourceRange"),
          new Info(
              LOAD_BALANCER_LOCAL,
              IpSetType.HASH_IP_PORT,
              "Kubernetes service load balancer ip + port with externalTrafficPolicy=local"),
          new Info(
              LOAD_BALANCER_SOURCE_IP,
              IpSetType.HASH_IP_PORT_IP,
              "Kubernetes service load balancer ip + port + source IP for packet filter purpose"),
          new Info(
              LOAD_BALANCER_SOURCE_CIDR,
              IpSetType.HASH_IP_PORT_NET,
              "Kubernetes service load balancer ip + port + source cidr for packet filter purpose"),
          new Info(
              NODE_PORT_TCP,
              IpSetType.BITMAP_PORT,
              "Kubernetes nodeport TCP port for masquerade purpose"),
          new Info(
              NODE_PORT_LOCAL_TCP,
              IpSetType.BITMAP_PORT,
              "Kubernetes nodeport TCP port with externalTrafficPolicy=local"),
          new Info(
              NODE_PORT_UDP,
              IpSetType.BITMAP_PORT,
              "Kubernetes nodeport UDP port for masquerade purpose"),
          new Info(
              NODE_PORT_LOCAL_UDP,
              IpSetType.BITMAP_PORT,
              "Kubernetes nodeport UDP port with externalTrafficPolicy=local"),
          new Info(
              NODE_PORT_SCTP,
              IpSetType.HASH_IP_PORT,
              "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'"),
          new Info(
              NODE_PORT_LOCAL_SCTP,
              IpSetType.HASH_IP_PORT,
              "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'"),
          new Info(
              HEALTH_CHECK_NODE_PORT, IpSetType.BITMAP_PORT, "Kubernetes health check node port"),
          new Info(IPVS_IPS, IpSetType.HASH_IP, "Addresses on the ipvs interface"));

  private final IpFamily family;
  private final Map<String, SortedSet<String>> entries = new LinkedHashMap<>();

  IpSets(IpFamily family) {
    this.family = family;
    INFO.forEach(i -> entries.put(i.name(), new TreeSet<>()));
  }

  void add(String set, String entry) {
    entries.get(set).add(entry);
  }

  boolean isEmpty(String set) {
    return entries.get(set).isEmpty();
  }

  /** The set's name in this family. */
  String name(String set) {
    return nameFor(set, family);
  }

  static String nameFor(String set, IpFamily family) {
    if (family == IpFamily.IPV4) {
      return set;
    }
    String n = set.replaceFirst("^KUBE-", "KUBE-6-");
    return n.length() > 31 ? n.substring(0, 31) : n;
  }

  /** The quoted comment iptables rules carry for the set. */
  String comment(String set) {
    return "\"" + info(set).comment() + "\"";
  }

  IpSetType type(String set) {
    return info(set).type();
  }

  private static Info info(String set) {
    return INFO.stream().filter(i -> i.name().equals(set)).findFirst().orElseThrow();
  }

  List<IpSet> toList() {
    return INFO.stream()
        .map(i -> new IpSet(name(i.name()), i.type(), family, i.comment(), entries.get(i.name())))
        .toList();
  }
}
