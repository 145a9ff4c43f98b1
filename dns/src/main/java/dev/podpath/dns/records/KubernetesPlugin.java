package dev.podpath.dns.records;

import dev.podpath.dns.DnsOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers a question the way CoreDNS's kubernetes plugin does ({@code ServeDNS} and the backend
 * look-up functions A, AAAA, TXT, CNAME, PTR, SRV, NS, SOA): authoritative answers, the question's
 * case kept in owner names, SRV weights per priority group, the additional section for SRV and NS,
 * ExternalName CNAMEs chased inside the zone or through the upstream, and NXDOMAIN/NODATA with the
 * zone's SOA in authority. A question outside every zone (or a fall-through NXDOMAIN) is left to
 * the next handler.
 */
public final class KubernetesPlugin {

  private final KubernetesRecords records;
  private final DnsOptions options;
  private final ExternalLookup upstream;

  public KubernetesPlugin(KubernetesRecords records, DnsOptions options, ExternalLookup upstream) {
    this.records = records;
    this.options = options;
    this.upstream = upstream;
  }

  /** The response to {@code query}, or empty when the next handler should answer it. */
  public Optional<Message> serve(Message query) {
    Record question = query.getQuestion();
    String qname = question.getName().toString();
    String lower = qname.toLowerCase(Locale.ROOT);
    Optional<String> matched = matchZone(lower);
    if (matched.isEmpty()) {
      return Optional.empty();
    }
    String zone = qname.substring(qname.length() - matched.get().length());
    int qtype = question.getType();
    Answer a =
        switch (qtype) {
          case Type.A, Type.AAAA -> address(qname, zone, qtype, new ArrayList<>());
          case Type.TXT -> txt(qname, zone);
          case Type.CNAME -> cname(qname, zone);
          case Type.PTR -> ptr(qname, zone);
          case Type.SRV -> srv(qname, zone);
          case Type.MX ->
              new Answer(
                  List.of(), List.of(), false, records.services(lower, zone, qtype).nameError());
          case Type.SOA ->
              qname.equals(zone)
                  ? new Answer(
                      List.of(RecordFactory.soa(zone, options.ttl(), records.index().serial())),
                      List.of(),
                      false,
                      false)
                  : Answer.EMPTY;
          case Type.AXFR, Type.IXFR -> null;
          case Type.NS -> lower.equals(matched.get()) ? ns(qname, zone) : fakeA(qname, zone);
          default -> fakeA(qname, zone);
        };
    Message m = reply(query);
    if (a == null) {
      m.getHeader().setRcode(Rcode.REFUSED);
      m.getHeader().unsetFlag(Flags.AA);
      return Optional.of(m);
    }
    if (a.nameError()) {
      if (fallsThrough(lower)) {
        return Optional.empty();
      }
      return Optional.of(
          negative(m, zone, records.index().synced() ? Rcode.NXDOMAIN : Rcode.SERVFAIL));
    }
    if (a.answer().isEmpty()) {
      return Optional.of(negative(m, zone, Rcode.NOERROR));
    }
    a.answer().forEach(r -> m.addRecord(r, Section.ANSWER));
    a.extra().forEach(r -> m.addRecord(r, Section.ADDITIONAL));
    if (a.truncated()) {
      m.getHeader().setFlag(Flags.TC);
    }
    return Optional.of(m);
  }

  /**
   * The records of one answer: answer and additional sections, TC, and whether the name is missing.
   */
  private record Answer(
      List<Record> answer, List<Record> extra, boolean truncated, boolean nameError) {
    static final Answer EMPTY = new Answer(List.of(), List.of(), false, false);
    static final Answer NAME_ERROR = new Answer(List.of(), List.of(), false, true);
  }

  private Optional<String> matchZone(String lower) {
    String best = null;
    for (String z : options.zones()) {
      if (Names.isSubDomain(z, lower) && (best == null || z.length() > best.length())) {
        best = z;
      }
    }
    return Optional.ofNullable(best);
  }

  private boolean fallsThrough(String lower) {
    return options.fallthroughZones().stream().anyMatch(z -> Names.isSubDomain(z, lower));
  }

  static Message reply(Message query) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    if (query.getHeader().getFlag(Flags.RD)) {
      m.getHeader().setFlag(Flags.RD);
    }
    m.getHeader().setOpcode(query.getHeader().getOpcode());
    m.addRecord(query.getQuestion(), Section.QUESTION);
    return m;
  }

  private Message negative(Message m, String zone, int rcode) {
    m.getHeader().setRcode(rcode);
    m.addRecord(
        RecordFactory.soa(zone, options.ttl(), records.index().serial()), Section.AUTHORITY);
    return m;
  }

  /** The candidates, handling the zone apex as CoreDNS's checkForApex does. */
  private Lookup lookupWithApex(String qname, String zone, int qtype) {
    String lower = qname.toLowerCase(Locale.ROOT);
    if (!lower.equals(zone.toLowerCase(Locale.ROOT))) {
      return records.services(lower, zone, qtype);
    }
    Lookup apex = records.services(("apex.dns." + zone).toLowerCase(Locale.ROOT), zone, qtype);
    return apex.nameError() ? records.services(lower, zone, qtype) : apex;
  }

  private Answer fakeA(String qname, String zone) {
    Lookup l = lookupWithApex(qname, zone, Type.A);
    return l.nameError() ? Answer.NAME_ERROR : Answer.EMPTY;
  }

  private Answer address(String qname, String zone, int qtype, List<Record> previous) {
    Lookup l = lookupWithApex(qname, zone, qtype);
    if (l.nameError()) {
      return Answer.NAME_ERROR;
    }
    List<Record> out = new ArrayList<>();
    Set<String> dup = new HashSet<>();
    boolean truncated = false;
    for (Candidate c : l.items()) {
      switch (c.host()) {
        case Candidate.Target t -> {
          String target = Names.fqdn(t.name());
          if (target.equalsIgnoreCase(qname) || previous.size() > 7) {
            continue;
          }
          Record cname = RecordFactory.cname(qname, c.ttl(), target);
          if (previous.stream().anyMatch(p -> p.equals(cname))) {
            continue;
          }
          if (Names.isSubDomain(zone, target)) {
            List<Record> chain = new ArrayList<>(previous);
            chain.add(cname);
            Answer next = address(target, zone, qtype, chain);
            if (!next.nameError() && !next.answer().isEmpty()) {
              out.add(cname);
              out.addAll(next.answer());
            }
            truncated |= next.truncated();
            continue;
          }
          Optional<Message> m = upstream.lookup(RecordFactory.name(target), qtype);
          if (m.isEmpty()) {
            continue;
          }
          truncated |= m.get().getHeader().getFlag(Flags.TC);
          out.add(cname);
          out.addAll(m.get().getSection(Section.ANSWER));
        }
        case Candidate.Address a -> {
          if (RecordFactory.addressType(a.ip()) == qtype && dup.add(a.ip().toString())) {
            out.add(RecordFactory.address(qname, c.ttl(), a.ip()));
          }
        }
        case Candidate.Text x -> {}
      }
    }
    return new Answer(out, List.of(), truncated, false);
  }

  private Answer txt(String qname, String zone) {
    Lookup l = lookupWithApex(qname, zone, Type.TXT);
    if (l.nameError()) {
      return Answer.NAME_ERROR;
    }
    List<Record> out = new ArrayList<>();
    for (Candidate c : l.items()) {
      if (c.host() instanceof Candidate.Text t) {
        out.add(RecordFactory.txt(qname, c.ttl(), t.text()));
      }
    }
    return new Answer(out, List.of(), false, false);
  }

  private Answer cname(String qname, String zone) {
    Lookup l = records.services(qname.toLowerCase(Locale.ROOT), zone, Type.CNAME);
    if (l.nameError()) {
      return Answer.NAME_ERROR;
    }
    if (!l.items().isEmpty() && l.items().get(0).host() instanceof Candidate.Target t) {
      return new Answer(
          List.of(RecordFactory.cname(qname, l.items().get(0).ttl(), t.name())),
          List.of(),
          false,
          false);
    }
    return Answer.EMPTY;
  }

  private Answer ptr(String qname, String zone) {
    Lookup l = records.reverse(qname.toLowerCase(Locale.ROOT), zone);
    if (l.nameError()) {
      return Answer.NAME_ERROR;
    }
    List<Record> out = new ArrayList<>();
    Set<String> dup = new HashSet<>();
    for (Candidate c : l.items()) {
      if (c.host() instanceof Candidate.Target t && dup.add(t.name())) {
        out.add(RecordFactory.ptr(qname, c.ttl(), t.name()));
      }
    }
    return new Answer(out, List.of(), false, false);
  }

  private Answer srv(String qname, String zone) {
    Lookup l = records.services(qname.toLowerCase(Locale.ROOT), zone, Type.SRV);
    if (l.nameError()) {
      return Answer.NAME_ERROR;
    }
    int total = 100 * l.items().size();
    List<Record> out = new ArrayList<>();
    List<Record> extra = new ArrayList<>();
    Set<String> dup = new HashSet<>();
    for (Candidate c : l.items()) {
      if (c.port() == -1 || !(c.host() instanceof Candidate.Address a)) {
        continue;
      }
      int weight = Math.max(1, (int) Math.floor(100.0 / total * 100));
      String target = c.domain();
      String targetKey = target.toLowerCase(Locale.ROOT);
      if (dup.add(targetKey + "|" + c.port())) {
        out.add(RecordFactory.srv(qname, c.ttl(), 0, weight, c.port(), target));
      }
      if (dup.add(targetKey + "|" + a.ip())) {
        extra.add(RecordFactory.address(target, c.ttl(), a.ip()));
      }
    }
    return new Answer(out, extra, false, false);
  }

  private Answer ns(String qname, String zone) {
    Lookup l = records.services(("ns.dns." + zone).toLowerCase(Locale.ROOT), zone, Type.NS);
    Map<String, Record> nsRecords = new LinkedHashMap<>();
    List<Record> extra = new ArrayList<>();
    for (Candidate c : l.items()) {
      if (c.host() instanceof Candidate.Address a) {
        extra.add(RecordFactory.address(c.domain(), c.ttl(), a.ip()));
        nsRecords.putIfAbsent(
            c.domain().toLowerCase(Locale.ROOT), RecordFactory.ns(qname, c.ttl(), c.domain()));
      }
    }
    return new Answer(List.copyOf(nsRecords.values()), extra, false, false);
  }
}
