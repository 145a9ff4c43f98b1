package dev.podpath.dns.conformance;

import dev.podpath.net.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** One expected RR of a vector, matched against received records per the comparison rules. */
record RrExpectation(String name, Optional<Long> ttl, String type, String data) {

  static RrExpectation of(Map<String, Object> m) {
    Object ttl = m.get("ttl");
    Optional<Long> t = ttl instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
    return new RrExpectation(
        (String) m.get("name"), t, (String) m.get("type"), String.valueOf(m.get("data")));
  }

  boolean matches(Record r) {
    if (!r.getName().toString().equals(name) || !Type.string(r.getType()).equals(type)) {
      return false;
    }
    if (ttl.isPresent() && ttl.get() != r.getTTL()) {
      return false;
    }
    String[] f = data.trim().split("\\s+");
    return switch (r) {
      case ARecord a ->
          IpAddress.parse(a.getAddress().getHostAddress()).equals(IpAddress.parse(data));
      case AAAARecord a ->
          IpAddress.parse(a.getAddress().getHostAddress()).equals(IpAddress.parse(data));
      case SRVRecord s ->
          f.length == 4
              && field(f[0], s.getPriority())
              && field(f[1], s.getWeight())
              && field(f[2], s.getPort())
              && s.getTarget().toString().equals(f[3]);
      case SOARecord s -> s.getHost().toString().equals(f[0]);
      case TXTRecord t -> String.join("", t.getStrings()).equals(data.replace("\"", ""));
      case CNAMERecord c -> c.getTarget().toString().equals(data);
      case PTRRecord p -> p.getTarget().toString().equals(data);
      case NSRecord n -> n.getTarget().toString().equals(data);
      default -> r.rdataToString().equals(data);
    };
  }

  private static boolean field(String expected, int actual) {
    return expected.equals("*") || Integer.parseInt(expected) == actual;
  }

  /** The expectations not matched one-to-one by {@code actual}, plus the unexpected records. */
  static List<String> mismatches(List<RrExpectation> expected, List<Record> actual) {
    List<Record> left = new ArrayList<>(actual);
    List<String> problems = new ArrayList<>();
    for (RrExpectation e : expected) {
      Optional<Record> hit = left.stream().filter(e::matches).findFirst();
      if (hit.isPresent()) {
        left.remove(hit.get());
      } else {
        problems.add("missing " + e);
      }
    }
    left.forEach(r -> problems.add("unexpected " + r));
    return problems;
  }

  static List<String> fields(String s) {
    return Arrays.asList(s.split("\\s+"));
  }
}
