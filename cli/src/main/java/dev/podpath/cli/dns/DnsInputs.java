package dev.podpath.cli.dns;

import dev.podpath.dns.DnsOptions;
import dev.podpath.dns.PodMode;
import dev.podpath.dns.cluster.ClusterFeed;
import dev.podpath.dns.cluster.ObjectCluster;
import dev.podpath.dns.cluster.StoreFeed;
import dev.podpath.dns.forward.CacheSettings;
import dev.podpath.dns.forward.ResolverUpstream;
import dev.podpath.dns.forward.ResponseCache;
import dev.podpath.dns.forward.Upstream;
import dev.podpath.dns.server.ClusterDns;
import dev.podpath.kube.ControlPlane;
import dev.podpath.kube.io.Manifest;
import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.io.ManifestSet;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.net.IpAddress;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Options every {@code podpath dns} command shares: manifests, zone, Corefile options, upstreams.
 */
public final class DnsInputs {

  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "MANIFESTS",
      description = "Manifest files or directories (YAML/JSON, '-' for stdin); repeatable.")
  List<String> files = new ArrayList<>();

  @Option(
      names = "--zone",
      paramLabel = "DOMAIN",
      description = "Cluster domain (default: the Cluster manifest's, else cluster.local).")
  Optional<String> zone = Optional.empty();

  @Option(
      names = "--pods",
      paramLabel = "MODE",
      defaultValue = "insecure",
      description =
          "Pod records: disabled, insecure (kubeadm's default), verified. Default: ${DEFAULT-VALUE}.")
  String pods = "insecure";

  @Option(
      names = "--ttl",
      defaultValue = "30",
      description = "Answer TTL (kubeadm: 30). Default: ${DEFAULT-VALUE}.")
  long ttl = 30;

  @Option(
      names = "--namespaces",
      split = ",",
      paramLabel = "NS",
      description = "Expose only these namespaces.")
  List<String> namespaces = new ArrayList<>();

  @Option(
      names = "--upstream",
      paramLabel = "IP[:PORT]",
      description =
          "Resolver for names outside the cluster zone (CoreDNS forward); repeatable. None: SERVFAIL.")
  List<String> upstreams = new ArrayList<>();

  /**
   * The objects read and the cluster domain (a bad file throws ManifestException naming file:line).
   */
  record Loaded(List<HasMetadata> objects, String domain, ClusterFeed feed) {}

  @Option(
      names = "--static",
      description =
          "Answer from the objects as given, without running the control plane "
              + "(no scheduling, no EndpointSlice controller; slices derived from Endpoints and selectors).")
  boolean staticObjects;

  /**
   * Reads the manifests and, unless {@code --static}, applies them to an emulated control plane
   * (controllers create pods, addresses and EndpointSlices) whose store DNS watches.
   */
  Loaded load() {
    ManifestSet set = ManifestReader.read(files, System.in);
    String domain =
        zone.orElseGet(
            () -> set.cluster().map(c -> c.shape().clusterDomain()).orElse("cluster.local"));
    List<HasMetadata> objects = set.objects().stream().map(Manifest::object).toList();
    if (staticObjects) {
      return new Loaded(objects, domain, ObjectCluster.of(objects));
    }
    ControlPlane cp =
        ControlPlane.start(set.cluster().map(c -> c.shape()).orElseGet(ClusterShape::defaults));
    cp.apply(set);
    List<HasMetadata> stored = new ArrayList<>();
    stored.addAll(cp.store().list(io.fabric8.kubernetes.api.model.Service.class, null));
    stored.addAll(cp.store().list(io.fabric8.kubernetes.api.model.Pod.class, null));
    return new Loaded(stored, domain, StoreFeed.watch(cp.store()));
  }

  DnsOptions options(String domain, List<IpAddress> localIps) {
    return DnsOptions.kubeadm(domain)
        .withPods(PodMode.valueOf(pods.toUpperCase(java.util.Locale.ROOT)))
        .withTtl(ttl)
        .withNamespaces(Set.copyOf(namespaces))
        .withLocalIps(localIps);
  }

  /**
   * The server's plugin chain; {@code serial} is the SOA serial clock (fixed for reproducible
   * output).
   */
  ClusterDns dns(ClusterFeed cluster, DnsOptions options, java.util.function.LongSupplier serial) {
    Optional<Upstream> upstream =
        upstreams.isEmpty()
            ? Optional.empty()
            : Optional.of(
                new ResolverUpstream(
                    upstreams.stream().map(u -> address(u, 53)).toList(), Duration.ofSeconds(2)));
    return new ClusterDns(
        cluster,
        options,
        upstream,
        new ResponseCache(CacheSettings.kubeadm(), System::nanoTime),
        serial);
  }

  /** The ClusterIP of kube-system/kube-dns, if the manifests have it. */
  static Optional<String> kubeDnsIp(List<HasMetadata> objects) {
    for (HasMetadata o : objects) {
      if (o instanceof Service s
          && "kube-dns".equals(s.getMetadata().getName())
          && "kube-system".equals(s.getMetadata().getNamespace())
          && s.getSpec().getClusterIP() != null) {
        return Optional.of(s.getSpec().getClusterIP());
      }
    }
    return Optional.empty();
  }

  /** Parses {@code IP}, {@code IP:PORT} or {@code [IPv6]:PORT}. */
  static InetSocketAddress address(String text, int defaultPort) {
    String host = text;
    int port = defaultPort;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      host = text.substring(1, close);
      if (close + 1 < text.length()) {
        port = Integer.parseInt(text.substring(close + 2));
      }
    } else if (text.chars().filter(c -> c == ':').count() == 1) {
      host = text.substring(0, text.indexOf(':'));
      port = Integer.parseInt(text.substring(text.indexOf(':') + 1));
    }
    IpAddress.parse(host);
    return new InetSocketAddress(host, port);
  }
}
