package dev.podpath.dns.zone;

import dev.podpath.dns.DnsOptions;
import dev.podpath.dns.records.DnsIndex;
import dev.podpath.dns.records.EndpointAddress;
import dev.podpath.dns.records.EndpointGroup;
import dev.podpath.dns.records.KubernetesPlugin;
import dev.podpath.dns.records.KubernetesRecords;
import dev.podpath.dns.records.Names;
import dev.podpath.dns.records.PortEntry;
import dev.podpath.dns.records.RecordFactory;
import dev.podpath.dns.records.ServiceEntry;
import dev.podpath.dns.records.ServiceKind;
import dev.podpath.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The cluster zone as a standard zone file: every name the server holds (the apex with SOA, NS and
 * glue, {@code dns-version}, each exposed Service, its named-port SRV names, its endpoint names,
 * and the known Pods' {@code <dashed-ip>.<ns>.pod} names unless pod records are disabled), asked of
 * the server itself for each type so the file holds exactly what the server answers. With reverse
 * zones, the PTR records of ClusterIPs and endpoint addresses follow as a second zone. Sorted by
 * owner, then type.
 */
public final class ZoneExport {

  private static final int[] TYPES = {Type.A, Type.AAAA, Type.SRV, Type.CNAME, Type.TXT};

  private ZoneExport() {}

  /** The forward zone (and, when {@code withReverse}, PTR records) as zone-file text. */
  public static String write(KubernetesRecords records, DnsOptions options, boolean withReverse) {
    KubernetesPlugin plugin = new KubernetesPlugin(records, options, (n, t) -> Optional.empty());
    String zone = options.primaryZone();
    DnsIndex index = records.index();
    TreeSet<String> names = new TreeSet<>();
    names.add("dns-version." + zone);
    for (ServiceEntry s : index.services()) {
      String svc = Names.join(zone, s.name(), s.namespace(), "svc");
      names.add(svc);
      for (PortEntry p : s.ports()) {
        if (!p.name().isEmpty()) {
          names.add(Names.join(svc, "_" + p.name(), "_" + p.protocol().toLowerCase(Locale.ROOT)));
        }
      }
      if (s.kind() != ServiceKind.EXTERNAL_NAME) {
        for (EndpointGroup g : index.endpoints(s.name(), s.namespace())) {
          for (EndpointAddress a : g.addresses()) {
            names.add(Names.join(svc, a.label(options.endpointPodNames())));
          }
        }
      }
    }
    if (options.pods() != dev.podpath.dns.PodMode.DISABLED) {
      for (DnsIndex.PodEntry p : index.pods()) {
        names.add(
            Names.join(
                zone, new EndpointAddress(p.ip(), "", "").label(false), p.namespace(), "pod"));
      }
    }
    Map<String, String> lines = new TreeMap<>();
    StringBuilder out = new StringBuilder();
    out.append("$TTL ").append(options.ttl()).append('\n');
    Message apex = ask(plugin, zone, Type.SOA);
    apex.getSection(Section.ANSWER).forEach(r -> out.append(r).append('\n'));
    Message ns = ask(plugin, zone, Type.NS);
    List<Record> nsRecords = ns.getSection(Section.ANSWER);
    if (nsRecords.isEmpty()) {
      out.append(RecordFactory.ns(zone, options.ttl(), "ns.dns." + zone)).append('\n');
      out.append(
              RecordFactory.address("ns.dns." + zone, options.ttl(), IpAddress.parse("127.0.0.1")))
          .append('\n');
    }
    nsRecords.forEach(r -> out.append(r).append('\n'));
    ns.getSection(Section.ADDITIONAL).forEach(r -> add(lines, r, zone));
    for (String name : names) {
      for (int type : TYPES) {
        for (Record r : ask(plugin, name, type).getSection(Section.ANSWER)) {
          add(lines, r, zone);
        }
      }
    }
    lines.values().forEach(l -> out.append(l).append('\n'));
    if (withReverse) {
      out.append("; reverse zones\n");
      TreeSet<IpAddress> ips = new TreeSet<>();
      index.services().forEach(s -> ips.addAll(s.clusterIps()));
      index.endpointGroups().forEach(g -> g.addresses().forEach(a -> ips.add(a.ip())));
      Map<String, String> ptr = new TreeMap<>();
      for (IpAddress ip : ips) {
        for (Record r :
            ask(plugin, KubernetesRecords.reverseName(ip), Type.PTR).getSection(Section.ANSWER)) {
          ptr.put(r.getName() + " " + r.rdataToString(), r.toString());
        }
      }
      ptr.values().forEach(l -> out.append(l).append('\n'));
    }
    return out.toString();
  }

  private static void add(Map<String, String> lines, Record r, String zone) {
    if (Names.isSubDomain(zone, r.getName().toString())) {
      String key =
          r.getName().toString().toLowerCase(Locale.ROOT)
              + " "
              + Type.string(r.getType())
              + " "
              + r.rdataToString();
      lines.putIfAbsent(key, r.toString());
    }
  }

  private static Message ask(KubernetesPlugin plugin, String name, int type) {
    Message q = Message.newQuery(Record.newRecord(RecordFactory.name(name), type, DClass.IN));
    return plugin.serve(q).orElseGet(() -> new Message());
  }

  /** Every address answered in the zone, for load generators: {@code name type} lines. */
  public static List<String> queryNames(String zoneText) {
    List<String> out = new ArrayList<>();
    for (String line : zoneText.split("\n")) {
      String[] f = line.split("\\s+");
      if (f.length >= 4 && (f[3].equals("A") || f[3].equals("AAAA") || f[3].equals("SRV"))) {
        out.add(f[0] + " " + f[3]);
      }
    }
    return out;
  }
}
