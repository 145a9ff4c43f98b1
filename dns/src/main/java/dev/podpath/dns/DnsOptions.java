package dev.podpath.dns;

import dev.podpath.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster DNS server's configuration, as a Corefile's {@code kubernetes} block states it.
 *
 * @param zones the zones served, lower case with the trailing dot; the first forward zone is the
 *     cluster domain (PTR targets are written in it)
 * @param namespaces the namespaces exposed ({@code namespaces}); empty means all that exist
 * @param pods the {@code pods} mode
 * @param ttl the TTL of answers and the SOA minimum ({@code ttl}, 0..3600)
 * @param ignoreEmptyService {@code ignore empty_service}
 * @param endpointPodNames {@code endpoint_pod_names}
 * @param localIps the server's own addresses (for NS answers at the apex)
 * @param fallthroughZones zones whose would-be NXDOMAINs go to the next plugin ({@code
 *     fallthrough})
 */
public record DnsOptions(
    List<String> zones,
    Set<String> namespaces,
    PodMode pods,
    long ttl,
    boolean ignoreEmptyService,
    boolean endpointPodNames,
    List<IpAddress> localIps,
    List<String> fallthroughZones) {

  /** The Kubernetes DNS schema version served at {@code dns-version.<zone>}. */
  public static final String SCHEMA_VERSION = "1.1.0";

  public DnsOptions {
    if (zones.isEmpty()) {
      throw new IllegalArgumentException("zones must name at least one zone");
    }
    if (ttl < 0 || ttl > 3600) {
      throw new IllegalArgumentException("ttl must be 0..3600, got " + ttl);
    }
    zones = zones.stream().map(DnsOptions::fqdn).toList();
    namespaces = Set.copyOf(new TreeSet<>(namespaces));
    localIps = List.copyOf(localIps);
    fallthroughZones = fallthroughZones.stream().map(DnsOptions::fqdn).toList();
    if (zones.stream().allMatch(DnsOptions::isReverse)) {
      throw new IllegalArgumentException("zones must include a forward zone: " + zones);
    }
  }

  /**
   * kubeadm's Corefile: {@code kubernetes <domain> in-addr.arpa ip6.arpa { pods insecure;
   * fallthrough in-addr.arpa ip6.arpa; ttl 30 }}.
   */
  public static DnsOptions kubeadm(String clusterDomain) {
    return new DnsOptions(
        List.of(clusterDomain, "in-addr.arpa.", "ip6.arpa."),
        Set.of(),
        PodMode.INSECURE,
        30,
        false,
        false,
        List.of(),
        List.of("in-addr.arpa.", "ip6.arpa."));
  }

  /** The plugin with only a zone and no options: pods disabled, TTL 5. */
  public static DnsOptions plugin(String... zones) {
    return new DnsOptions(
        List.of(zones), Set.of(), PodMode.DISABLED, 5, false, false, List.of(), List.of());
  }

  public DnsOptions withNamespaces(Set<String> value) {
    return new DnsOptions(
        zones, value, pods, ttl, ignoreEmptyService, endpointPodNames, localIps, fallthroughZones);
  }

  public DnsOptions withPods(PodMode value) {
    return new DnsOptions(
        zones,
        namespaces,
        value,
        ttl,
        ignoreEmptyService,
        endpointPodNames,
        localIps,
        fallthroughZones);
  }

  public DnsOptions withTtl(long value) {
    return new DnsOptions(
        zones,
        namespaces,
        pods,
        value,
        ignoreEmptyService,
        endpointPodNames,
        localIps,
        fallthroughZones);
  }

  public DnsOptions withIgnoreEmptyService(boolean value) {
    return new DnsOptions(
        zones, namespaces, pods, ttl, value, endpointPodNames, localIps, fallthroughZones);
  }

  public DnsOptions withEndpointPodNames(boolean value) {
    return new DnsOptions(
        zones, namespaces, pods, ttl, ignoreEmptyService, value, localIps, fallthroughZones);
  }

  public DnsOptions withLocalIps(List<IpAddress> value) {
    return new DnsOptions(
        zones,
        namespaces,
        pods,
        ttl,
        ignoreEmptyService,
        endpointPodNames,
        value,
        fallthroughZones);
  }

  public DnsOptions withFallthrough(List<String> value) {
    return new DnsOptions(
        zones, namespaces, pods, ttl, ignoreEmptyService, endpointPodNames, localIps, value);
  }

  /** Replaces the forward zone (the cluster domain), keeping the reverse zones. */
  public DnsOptions withClusterDomain(String domain) {
    List<String> z = new ArrayList<>();
    z.add(domain);
    zones.stream().filter(DnsOptions::isReverse).forEach(z::add);
    return new DnsOptions(
        z, namespaces, pods, ttl, ignoreEmptyService, endpointPodNames, localIps, fallthroughZones);
  }

  /** The first forward zone: the cluster domain. */
  public String primaryZone() {
    return zones.stream().filter(z -> !isReverse(z)).findFirst().orElseThrow();
  }

  /** Whether a name lies under in-addr.arpa or ip6.arpa. */
  public static boolean isReverse(String name) {
    String n = fqdn(name);
    return n.endsWith("in-addr.arpa.") || n.endsWith("ip6.arpa.");
  }

  /** Lower case with a trailing dot. */
  public static String fqdn(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n : n + ".";
  }
}
