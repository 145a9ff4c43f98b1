package dev.podpath.policy.enforce;

import java.util.List;
import java.util.Random;

/**
 * Random small clusters with random NetworkPolicies, as YAML, for property tests. No SCTP ports:
 * the emulated iptables loads {@code -m sctp} rules, but lab files serve and probe only tcp, udp
 * and icmp (as {@code kernel-lab} on the real kernel does).
 */
public final class RandomCluster {
  private static final List<String> APPS = List.of("a", "b", "c");
  private static final List<String> PORTS =
      List.of(
          "{port: 80}",
          "{port: 8080, protocol: TCP}",
          "{protocol: UDP, port: 53}",
          "{port: 70, endPort: 90}",
          "{port: http}",
          "{protocol: UDP, port: dns}",
          "{protocol: UDP}");
  private static final List<String> NAMED = List.of("{port: http}", "{protocol: UDP, port: dns}");

  private RandomCluster() {}

  public static String yaml(Random r) {
    var sb = new StringBuilder();
    for (String ns : List.of("ns-a", "ns-b")) {
      sb.append("apiVersion: v1\nkind: Namespace\nmetadata: {name: ")
          .append(ns)
          .append(", labels: {team: ")
          .append(r.nextBoolean() ? "x" : "y")
          .append("}}\n---\n");
    }
    int pods = 3 + r.nextInt(3);
    for (int i = 0; i < pods; i++) {
      int node = 1 + r.nextInt(2);
      sb.append("apiVersion: v1\nkind: Pod\nmetadata: {name: pod-")
          .append(i)
          .append(", namespace: ")
          .append(r.nextBoolean() ? "ns-a" : "ns-b")
          .append(", labels: {app: ")
          .append(pick(r, APPS))
          .append(r.nextBoolean() ? ", role: fe" : "")
          .append("}}\n")
          .append("spec:\n  nodeName: node-")
          .append(node)
          .append("\n  containers:\n  - name: c\n")
          .append("    ports:\n");
      sb.append("    - {name: ")
          .append(r.nextBoolean() ? "http" : "web")
          .append(", containerPort: ")
          .append(r.nextBoolean() ? 80 : 8080)
          .append("}\n");
      sb.append("    - {name: dns, containerPort: 53, protocol: UDP}\n");
      sb.append("status: {podIP: 10.244.")
          .append(node)
          .append('.')
          .append(10 + i)
          .append("}\n---\n");
    }
    int policies = 1 + r.nextInt(4);
    for (int i = 0; i < policies; i++) {
      sb.append("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np-")
          .append(i)
          .append(", namespace: ")
          .append(r.nextBoolean() ? "ns-a" : "ns-b")
          .append("}\n")
          .append("spec:\n  podSelector: ")
          .append(selector(r))
          .append('\n');
      int types = r.nextInt(4);
      if (types == 1) {
        sb.append("  policyTypes: [Ingress]\n");
      } else if (types == 2) {
        sb.append("  policyTypes: [Egress]\n");
      } else if (types == 3) {
        sb.append("  policyTypes: [Ingress, Egress]\n");
      }
      for (String dir : List.of("ingress", "egress")) {
        int rules = r.nextInt(3);
        if (rules == 0) {
          continue;
        }
        sb.append("  ").append(dir).append(":\n");
        for (int k = 0; k < rules; k++) {
          rule(sb, r, dir.equals("ingress") ? "from" : "to", dir.equals("egress"));
        }
      }
      sb.append("---\n");
    }
    return sb.toString();
  }

  private static void rule(StringBuilder sb, Random r, String peersField, boolean egress) {
    sb.append("  - {");
    boolean ipBlock = false;
    int peers = r.nextInt(3);
    if (peers > 0) {
      sb.append(peersField).append(": [");
      for (int p = 0; p < peers; p++) {
        if (p > 0) {
          sb.append(", ");
        }
        switch (r.nextInt(5)) {
          case 0 -> sb.append("{podSelector: ").append(selector(r)).append('}');
          case 1 ->
              sb.append("{namespaceSelector: {matchLabels: {team: ")
                  .append(r.nextBoolean() ? "x" : "y")
                  .append("}}}");
          case 2 ->
              sb.append("{namespaceSelector: {}, podSelector: ").append(selector(r)).append('}');
          case 3 -> {
            ipBlock = true;
            sb.append("{ipBlock: {cidr: 10.244.0.0/16, except: [10.244.2.0/24]}}");
          }
          default -> {
            ipBlock = true;
            sb.append("{ipBlock: {cidr: 192.168.0.0/24}}");
          }
        }
      }
      sb.append("]");
    }
    int ports = r.nextInt(3);
    if (ports > 0) {
      sb.append(peers > 0 ? ", " : "").append("ports: [");
      for (int p = 0; p < ports; p++) {
        if (p > 0) {
          sb.append(", ");
        }
        String port = pick(r, PORTS);
        if (egress && ipBlock && NAMED.contains(port)) {
          port = "{port: 80}";
        }
        sb.append(port);
      }
      sb.append("]");
    }
    sb.append("}\n");
  }

  private static String selector(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> "{}";
      case 1 -> "{matchLabels: {app: " + pick(r, APPS) + "}}";
      case 2 -> "{matchExpressions: [{key: role, operator: In, values: [fe]}]}";
      default ->
          "{matchExpressions: [{key: app, operator: NotIn, values: [" + pick(r, APPS) + "]}]}";
    };
  }

  private static String pick(Random r, List<String> from) {
    return from.get(r.nextInt(from.size()));
  }
}
