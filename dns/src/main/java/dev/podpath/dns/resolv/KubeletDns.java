package dev.podpath.dns.resolv;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kubelet's DNS configurer ({@code pkg/kubelet/network/dns}): the resolv.conf each pod gets
 * from its {@code dnsPolicy} and {@code dnsConfig}, the kubelet's {@code --cluster-dns}, {@code
 * --cluster-domain} and {@code --resolv-conf}, with the limits applied (3 nameservers; 32 search
 * domains and 2048 characters, or 6 and 256 without ExpandedDNSConfig; entries over 253 characters
 * dropped) and the Warning events the kubelet records.
 *
 * @param clusterDns {@code --cluster-dns} addresses (empty: pods fall back to host DNS)
 * @param clusterDomain {@code --cluster-domain} ("" for none)
 * @param hostResolvConf the text of {@code --resolv-conf}; empty when the flag is ""
 * @param nodeIpv6 whether the node's IP is IPv6 (the loopback nameserver used without a file)
 * @param expandedDnsConfig the ExpandedDNSConfig feature (GA since 1.28)
 */
public record KubeletDns(
    List<String> clusterDns,
    String clusterDomain,
    Optional<String> hostResolvConf,
    boolean nodeIpv6,
    boolean expandedDnsConfig) {

  /** A pod's configuration, its base type, and the events the kubelet recorded. */
  public record PodDns(ResolvConf resolvConf, PodDnsType type, List<String> events) {}

  public KubeletDns {
    clusterDns = List.copyOf(clusterDns);
  }

  /**
   * A kubelet with cluster DNS {@code dnsIp}, domain {@code domain} and the node's resolv.conf
   * text.
   */
  public static KubeletDns of(String dnsIp, String domain, String hostResolvConf) {
    return new KubeletDns(List.of(dnsIp), domain, Optional.of(hostResolvConf), false, true);
  }

  /** The configuration of {@code pod}; throws for an unreadable host file or invalid policy. */
  public PodDns forPod(Pod pod) throws HostResolvConf.ParseException {
    List<String> events = new ArrayList<>();
    ResolvConf host =
        hostResolvConf.isPresent() ? HostResolvConf.parse(hostResolvConf.get()) : ResolvConf.EMPTY;
    boolean hostNetwork =
        pod.getSpec() != null && Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    PodDnsType type =
        PodDnsType.of(pod.getSpec() == null ? null : pod.getSpec().getDnsPolicy(), hostNetwork);
    String namespace =
        pod.getMetadata().getNamespace() == null ? "" : pod.getMetadata().getNamespace();
    ResolvConf base =
        switch (type) {
          case NONE -> ResolvConf.EMPTY;
          case CLUSTER -> {
            if (!clusterDns.isEmpty()) {
              yield new ResolvConf(
                  clusterDns, clusterSearches(host.searches(), namespace), List.of("ndots:5"));
            }
            events.add(
                "Warning MissingClusterDNS kubelet does not have ClusterDNS IP configured and cannot create Pod using \"ClusterFirst\" policy. Falling back to \"Default\" policy.");
            yield hostBase(host);
          }
          case HOST -> hostBase(host);
        };
    PodDNSConfig cfg = pod.getSpec() == null ? null : pod.getSpec().getDnsConfig();
    if (cfg != null) {
      base =
          new ResolvConf(
              dedup(base.nameservers(), cfg.getNameservers()),
              dedup(base.searches(), cfg.getSearches()),
              mergeOptions(base.options(), cfg.getOptions()));
    }
    return new PodDns(
        new ResolvConf(
            fitNameservers(base.nameservers(), events),
            fitSearches(base.searches(), events),
            base.options()),
        type,
        List.copyOf(events));
  }

  private ResolvConf hostBase(ResolvConf host) {
    if (hostResolvConf.isEmpty()) {
      return new ResolvConf(List.of(nodeIpv6 ? "::1" : "127.0.0.1"), List.of("."), host.options());
    }
    return host;
  }

  private List<String> clusterSearches(List<String> hostSearches, String namespace) {
    if (clusterDomain.isEmpty()) {
      return hostSearches;
    }
    List<String> s =
        new ArrayList<>(
            List.of(namespace + ".svc." + clusterDomain, "svc." + clusterDomain, clusterDomain));
    return dedup(s, hostSearches);
  }

  private static List<String> dedup(List<String> first, List<String> then) {
    LinkedHashSet<String> out = new LinkedHashSet<>(first);
    if (then != null) {
      out.addAll(then);
    }
    return List.copyOf(out);
  }

  /** Merges options by name, the pod's value winning; kept in first-seen order. */
  static List<String> mergeOptions(List<String> base, List<PodDNSConfigOption> extra) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (String o : base) {
      int colon = o.indexOf(':');
      byName.put(colon < 0 ? o : o.substring(0, colon), colon < 0 ? "" : o.substring(colon + 1));
    }
    if (extra != null) {
      for (PodDNSConfigOption o : extra) {
        byName.put(o.getName(), o.getValue() == null ? "" : o.getValue());
      }
    }
    List<String> out = new ArrayList<>();
    byName.forEach((k, v) -> out.add(v.isEmpty() ? k : k + ":" + v));
    return out;
  }

  /** At most 3 nameservers, with a DNSConfigForming event when some are dropped. */
  static List<String> fitNameservers(List<String> servers, List<String> events) {
    if (servers.size() <= 3) {
      return servers;
    }
    List<String> kept = servers.subList(0, 3);
    events.add(
        "Warning DNSConfigForming Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: "
            + String.join(" ", kept));
    return List.copyOf(kept);
  }

  List<String> fitSearches(List<String> composed, List<String> events) {
    return fitSearches(composed, expandedDnsConfig, events);
  }

  /** The kubelet's {@code formDNSSearchFitsLimits}. */
  public static List<String> fitSearches(
      List<String> composed, boolean expanded, List<String> events) {
    int maxPaths = expanded ? 32 : 6;
    int maxChars = expanded ? 2048 : 256;
    boolean exceeded = false;
    List<String> s = new ArrayList<>();
    for (String search : composed) {
      if (search.length() > 253) {
        exceeded = true;
      } else {
        s.add(search);
      }
    }
    int lineLength = String.join(" ", s).length();
    if (lineLength > maxChars) {
      int cutNum = 0;
      int cutLen = 0;
      for (int i = s.size() - 1; i >= 0; i--) {
        cutLen += s.get(i).length() + 1;
        cutNum++;
        if (lineLength - cutLen <= maxChars) {
          break;
        }
      }
      s = new ArrayList<>(s.subList(0, s.size() - cutNum));
      exceeded = true;
    }
    if (s.size() > maxPaths) {
      s = new ArrayList<>(s.subList(0, maxPaths));
      exceeded = true;
    }
    if (exceeded) {
      events.add(
          "Warning DNSConfigForming Search Line limits were exceeded, some search paths have been omitted, the applied search line is: "
              + String.join(" ", s));
    }
    return List.copyOf(s);
  }
}
