package dev.podpath.dns.conformance;

import dev.podpath.dns.DnsOptions;
import dev.podpath.dns.PodMode;
import dev.podpath.dns.cluster.ObjectCluster;
import dev.podpath.dns.forward.CacheSettings;
import dev.podpath.dns.forward.ResponseCache;
import dev.podpath.dns.forward.StubUpstream;
import dev.podpath.dns.forward.Upstream;
import dev.podpath.dns.server.ClusterDns;
import dev.podpath.dns.server.DnsServer;
import dev.podpath.net.IpAddress;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Record;

/**
 * Builds the server a vector suite describes (its Corefile options, fixture, upstream) and starts
 * it.
 */
final class VectorServer {

  private VectorServer() {}

  static DnsOptions options(Map<String, Object> server) {
    List<String> zones =
        VectorFile.list(server.get("zones")).stream().map(String::valueOf).toList();
    Set<String> namespaces = new TreeSet<>();
    VectorFile.list(server.get("namespaces")).forEach(n -> namespaces.add(String.valueOf(n)));
    PodMode pods =
        PodMode.valueOf(
            String.valueOf(server.getOrDefault("pods", "disabled")).toUpperCase(Locale.ROOT));
    long ttl = ((Number) server.getOrDefault("ttl", 5)).longValue();
    List<IpAddress> local =
        VectorFile.list(server.get("local_ips")).stream()
            .map(o -> IpAddress.parse(String.valueOf(o)))
            .toList();
    List<String> fallthrough = Boolean.TRUE.equals(server.get("fallthrough")) ? zones : List.of();
    return new DnsOptions(
        zones,
        namespaces,
        pods,
        ttl,
        Boolean.TRUE.equals(server.get("ignore_empty_service")),
        Boolean.TRUE.equals(server.get("endpoint_pod_names")),
        local,
        fallthrough);
  }

  /** Starts a server on loopback for the fixture objects, options and upstream records. */
  static DnsServer start(ObjectCluster cluster, DnsOptions options, Optional<Upstream> upstream)
      throws IOException {
    ClusterDns dns =
        new ClusterDns(
            cluster,
            options,
            upstream,
            new ResponseCache(new CacheSettings(0, 0, 0, 0), System::nanoTime),
            () -> 1_700_000_000L);
    return DnsServer.start(
        dns,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        new DnsServer.Limits(2, 16, 5000, 1000));
  }

  /** The cluster of a fixture; "missing_namespaces" lists the only namespaces that do not exist. */
  static ObjectCluster cluster(Map<String, Object> fixture, List<HasMetadata> extra) {
    List<Object> missing = VectorFile.list(fixture.get("missing_namespaces"));
    ObjectCluster cluster =
        missing.isEmpty()
            ? ObjectCluster.create()
            : ObjectCluster.withNamespaces(ns -> !missing.contains(ns));
    List<HasMetadata> objects = new ArrayList<>(VectorFile.objects(fixture.get("objects")));
    objects.addAll(extra);
    cluster.applyAll(objects);
    return cluster;
  }

  static Upstream stub(List<Record> records, boolean tc) {
    return new StubUpstream(records, tc);
  }
}
