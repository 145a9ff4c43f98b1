package dev.podpath.bench.dns;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a cluster of N ClusterIP Services (100 namespaces, one named port each, one ready endpoint
 * each) as manifests, and a dnsperf query file that asks every service's A record and, for every
 * tenth, its {@code _http._tcp} SRV record and one missing name (NXDOMAIN). Usage: {@code java -cp
 * bench/target/benchmarks.jar dev.podpath.bench.dns.ScaleCluster N DIR}.
 */
public final class ScaleCluster {

  private ScaleCluster() {}

  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Path dir = Path.of(args.length > 1 ? args[1] : ".");
    Files.createDirectories(dir);
    try (PrintWriter m = new PrintWriter(Files.newBufferedWriter(dir.resolve("services.yaml")));
        PrintWriter q = new PrintWriter(Files.newBufferedWriter(dir.resolve("queries.txt")))) {
      for (int i = 0; i < n; i++) {
        String ns = "ns" + (i % 100);
        String name = "svc" + i;
        String vip = "10.96." + (i / 250 + 1) + "." + (i % 250 + 1);
        String ep = "10.244." + (i / 250 + 1) + "." + (i % 250 + 1);
        m.printf(
            "---%napiVersion: v1%nkind: Service%nmetadata: {name: %s, namespace: %s}%n"
                + "spec: {clusterIP: %s, clusterIPs: [%s], ports: [{name: http, port: 80, protocol: TCP}]}%n",
            name, ns, vip, vip);
        m.printf(
            "---%napiVersion: discovery.k8s.io/v1%nkind: EndpointSlice%n"
                + "metadata: {name: %s-1, namespace: %s, labels: {kubernetes.io/service-name: %s}}%n"
                + "addressType: IPv4%nports: [{name: http, port: 80, protocol: TCP}]%n"
                + "endpoints: [{addresses: [%s], conditions: {ready: true}}]%n",
            name, ns, name, ep);
        q.printf("%s.%s.svc.cluster.local A%n", name, ns);
        if (i % 10 == 0) {
          q.printf("_http._tcp.%s.%s.svc.cluster.local SRV%n", name, ns);
          q.printf("missing%d.%s.svc.cluster.local A%n", i, ns);
        }
      }
    }
  }
}
