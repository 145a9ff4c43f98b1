package dev.podpath.dns.records;

import dev.podpath.dns.DnsOptions;
import dev.podpath.dns.PodMode;
import dev.podpath.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.Type;

/**
 * The record look-ups of CoreDNS's kubernetes plugin ({@code Records}, {@code Services}, {@code
 * Reverse}, {@code findServices}, {@code findPods}) over a {@link DnsIndex}. Names are compared in
 * lower case; {@code zone} arguments keep the question's case, as the domains of the candidates
 * (SRV targets) are written with it.
 */
public final class KubernetesRecords {

  private final DnsIndex index;
  private final DnsOptions options;

  public KubernetesRecords(DnsIndex index, DnsOptions options) {
    this.index = index;
    this.options = options;
  }

  public DnsIndex index() {
    return index;
  }

  /** {@code Services}: the candidates for {@code name} (lower case) of {@code qtype}. */
  public Lookup services(String name, String zone, int qtype) {
    String lowerZone = zone.toLowerCase(Locale.ROOT);
    if (qtype == Type.TXT) {
      List<String> segs = Names.labels(Names.trimZone(name, lowerZone));
      if (segs.size() == 1 && segs.get(0).equals("dns-version")) {
        return Lookup.found(
            List.of(new Candidate(new Candidate.Text(DnsOptions.SCHEMA_VERSION), 0, 28800, name)));
      }
      Lookup other = records(name, zone);
      return other.items().isEmpty() ? Lookup.NAME_ERROR : Lookup.NO_DATA;
    }
    if (qtype == Type.NS) {
      return Lookup.found(nsAddrs(zone));
    }
    if (name.equals("ns.dns." + lowerZone)) {
      int family = qtype == Type.A ? 4 : qtype == Type.AAAA ? 6 : 0;
      return Lookup.found(
          nsAddrs(zone).stream()
              .filter(
                  c -> c.host() instanceof Candidate.Address a && familyNumber(a.ip()) == family)
              .toList());
    }
    Lookup found = records(name, zone);
    if (qtype != Type.SRV) {
      return found;
    }
    return new Lookup(
        found.items().stream().filter(c -> !(c.host() instanceof Candidate.Target)).toList(),
        found.nameError());
  }

  /** {@code Records}: services, endpoints or pods named by {@code name} (lower case). */
  public Lookup records(String name, String zone) {
    RecordRequest r = RecordRequest.parse(name, zone.toLowerCase(Locale.ROOT));
    if (r.invalid()) {
      return Lookup.NAME_ERROR;
    }
    if (r.podOrSvc().isEmpty()) {
      return Lookup.NO_DATA;
    }
    if (DnsOptions.isReverse(name)) {
      return Lookup.NAME_ERROR;
    }
    if (!namespaceExposed(r.namespace())) {
      return Lookup.NAME_ERROR;
    }
    return r.podOrSvc().equals(RecordRequest.POD) ? findPods(r, zone) : findServices(r, zone);
  }

  /** {@code Reverse}: PTR candidates for a reverse name, or {@link #records} for any other. */
  public Lookup reverse(String name, String zone) {
    Optional<IpAddress> ip = addressFromReverse(name);
    if (ip.isEmpty()) {
      Lookup r = records(name, zone);
      return r.nameError() ? Lookup.NAME_ERROR : Lookup.NO_DATA;
    }
    List<Candidate> found = serviceRecordForIp(ip.get());
    return found.isEmpty() ? Lookup.NAME_ERROR : Lookup.found(found);
  }

  /**
   * The NS names and addresses: Services whose endpoints hold a local IP, else {@code
   * ns.dns.<zone>}.
   */
  public List<Candidate> nsAddrs(String zone) {
    List<Candidate> out = new ArrayList<>();
    boolean foundEndpoint = false;
    for (IpAddress local : options.localIps()) {
      for (EndpointGroup g : index.endpointsByIp(local)) {
        foundEndpoint = true;
        for (ServiceEntry svc : index.services(g.serviceName(), g.namespace())) {
          String domain = Names.join(zone, svc.name(), svc.namespace(), RecordRequest.SVC);
          if (svc.kind() == ServiceKind.HEADLESS) {
            out.add(new Candidate(new Candidate.Address(local), 0, options.ttl(), domain));
          }
          for (IpAddress ip : svc.clusterIps()) {
            out.add(new Candidate(new Candidate.Address(ip), 0, options.ttl(), domain));
          }
        }
      }
    }
    if (!foundEndpoint) {
      for (IpAddress local : options.localIps()) {
        out.add(new Candidate(new Candidate.Address(local), 0, options.ttl(), "ns.dns." + zone));
      }
    }
    return out;
  }

  private boolean namespaceExposed(String namespace) {
    boolean configured = options.namespaces().isEmpty() || options.namespaces().contains(namespace);
    return configured && index.namespaceExists(namespace);
  }

  private Lookup findPods(RecordRequest r, String zone) {
    if (options.pods() == PodMode.DISABLED) {
      return Lookup.NAME_ERROR;
    }
    String podName = r.service();
    if (podName.isEmpty()) {
      return Lookup.NO_DATA;
    }
    boolean v4 = podName.chars().filter(c -> c == '-').count() == 3 && !podName.contains("--");
    String text = v4 ? podName.replace('-', '.') : podName.replace('-', ':');
    Optional<IpAddress> ip = parseIp(text);
    if (ip.isEmpty()) {
      return Lookup.NAME_ERROR;
    }
    String domain = Names.join(zone, podName, r.namespace(), RecordRequest.POD);
    Candidate c = new Candidate(new Candidate.Address(ip.get()), 0, options.ttl(), domain);
    if (options.pods() == PodMode.INSECURE) {
      return Lookup.found(List.of(c));
    }
    List<Candidate> out = new ArrayList<>();
    for (DnsIndex.PodEntry p : index.podsByIp(ip.get())) {
      if (p.namespace().equalsIgnoreCase(r.namespace())) {
        out.add(c);
      }
    }
    return out.isEmpty() ? Lookup.NAME_ERROR : Lookup.found(out);
  }

  private Lookup findServices(RecordRequest r, String zone) {
    if (r.service().isEmpty()) {
      return Lookup.NO_DATA;
    }
    boolean any = false;
    List<Candidate> out = new ArrayList<>();
    long ttl = options.ttl();
    for (ServiceEntry svc : index.services(r.service(), r.namespace())) {
      if (options.ignoreEmptyService()
          && svc.kind() == ServiceKind.CLUSTER_IP
          && index.endpoints(svc.name(), svc.namespace()).stream()
              .allMatch(g -> g.addresses().isEmpty())) {
        continue;
      }
      String svcDomain = Names.join(zone, svc.name(), svc.namespace(), RecordRequest.SVC);
      switch (svc.kind()) {
        case EXTERNAL_NAME -> {
          if (!r.endpoint().isEmpty() || !r.port().isEmpty() || !r.protocol().isEmpty()) {
            continue;
          }
          if (parseIp(svc.externalName()).isEmpty() && !svc.externalName().isEmpty()) {
            out.add(new Candidate(new Candidate.Target(svc.externalName()), 0, ttl, svcDomain));
            any = true;
          }
        }
        case HEADLESS, CLUSTER_IP -> {
          if (svc.kind() == ServiceKind.HEADLESS || !r.endpoint().isEmpty()) {
            for (EndpointGroup g : index.endpoints(svc.name(), svc.namespace())) {
              for (EndpointAddress a : g.addresses()) {
                String label = a.label(options.endpointPodNames());
                if (!r.endpoint().isEmpty() && !r.endpoint().equalsIgnoreCase(label)) {
                  continue;
                }
                for (PortEntry p : g.ports()) {
                  if (matchPort(r, p)) {
                    out.add(
                        new Candidate(
                            new Candidate.Address(a.ip()),
                            p.port(),
                            ttl,
                            Names.join(
                                zone, label, svc.name(), svc.namespace(), RecordRequest.SVC)));
                    any = true;
                  }
                }
              }
            }
            continue;
          }
          for (PortEntry p : svc.ports()) {
            if (!matchPort(r, p)) {
              continue;
            }
            any = true;
            for (IpAddress ip : svc.clusterIps()) {
              out.add(new Candidate(new Candidate.Address(ip), p.port(), ttl, svcDomain));
            }
          }
        }
      }
    }
    return any ? Lookup.found(out) : Lookup.NAME_ERROR;
  }

  private static boolean matchPort(RecordRequest r, PortEntry p) {
    return (r.port().isEmpty() || r.port().equalsIgnoreCase(p.name()))
        && (r.protocol().isEmpty() || r.protocol().equalsIgnoreCase(p.protocol()));
  }

  private List<Candidate> serviceRecordForIp(IpAddress ip) {
    String zone = options.primaryZone();
    for (ServiceEntry svc : index.servicesByClusterIp(ip)) {
      if (!options.namespaces().isEmpty() && !options.namespaces().contains(svc.namespace())) {
        continue;
      }
      return List.of(
          new Candidate(
              new Candidate.Target(Names.join(zone, svc.name(), svc.namespace(), "svc")),
              0,
              options.ttl(),
              ""));
    }
    List<Candidate> out = new ArrayList<>();
    for (EndpointGroup g : index.endpointsByIp(ip)) {
      if (!options.namespaces().isEmpty() && !options.namespaces().contains(g.namespace())) {
        continue;
      }
      for (EndpointAddress a : g.addresses()) {
        if (a.ip().equals(ip)) {
          String domain =
              Names.join(
                  zone, a.label(options.endpointPodNames()), g.serviceName(), g.namespace(), "svc");
          out.add(new Candidate(new Candidate.Target(domain), 0, options.ttl(), ""));
        }
      }
    }
    return out;
  }

  /** The address a reverse name stands for, if it is a complete in-addr.arpa or ip6.arpa name. */
  public static Optional<IpAddress> addressFromReverse(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    List<String> labels;
    if (n.endsWith(".in-addr.arpa.")) {
      labels = Names.labels(n.substring(0, n.length() - ".in-addr.arpa.".length()));
      if (labels.size() != 4) {
        return Optional.empty();
      }
      return parseIp(String.join(".", labels.reversed()));
    }
    if (n.endsWith(".ip6.arpa.")) {
      labels = Names.labels(n.substring(0, n.length() - ".ip6.arpa.".length()));
      if (labels.size() != 32 || labels.stream().anyMatch(l -> l.length() != 1)) {
        return Optional.empty();
      }
      StringBuilder b = new StringBuilder();
      List<String> rev = labels.reversed();
      for (int i = 0; i < 32; i++) {
        b.append(rev.get(i));
        if (i % 4 == 3 && i < 31) {
          b.append(':');
        }
      }
      return parseIp(b.toString());
    }
    return Optional.empty();
  }

  /** The reverse name of an address (for PTR owners and zone files). */
  public static String reverseName(IpAddress ip) {
    java.math.BigInteger v = ip.toBigInteger();
    boolean v6 = ip.toString().contains(":");
    int units = v6 ? 32 : 4;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < units; i++) {
      int unit = v6 ? v.shiftRight(4 * i).intValue() & 0xf : v.shiftRight(8 * i).intValue() & 0xff;
      b.append(v6 ? Integer.toHexString(unit) : Integer.toString(unit)).append('.');
    }
    return b.append(v6 ? "ip6.arpa." : "in-addr.arpa.").toString();
  }

  private static int familyNumber(IpAddress ip) {
    return ip.toString().contains(":") ? 6 : 4;
  }

  static Optional<IpAddress> parseIp(String text) {
    if (text.isEmpty()
        || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
      return Optional.empty();
    }
    try {
      return Optional.of(IpAddress.parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
