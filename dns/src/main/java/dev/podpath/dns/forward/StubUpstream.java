package dev.podpath.dns.forward;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * An upstream that answers from a fixed set of records (for tests and offline use): the records
 * whose name and type match the question, NXDOMAIN when none has that name, and optionally the TC
 * bit. It counts the queries it received.
 */
public final class StubUpstream implements Upstream {

  private final Map<String, List<Record>> byName = new TreeMap<>();
  private final boolean truncated;
  private int queries;

  public StubUpstream(List<Record> records, boolean truncated) {
    for (Record r : records) {
      byName.computeIfAbsent(key(r.getName()), k -> new ArrayList<>()).add(r);
    }
    this.truncated = truncated;
  }

  public StubUpstream(List<Record> records) {
    this(records, false);
  }

  @Override
  public synchronized Message query(Message query) {
    queries++;
    Record q = query.getQuestion();
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.RA);
    m.addRecord(q, Section.QUESTION);
    List<Record> named = byName.get(key(q.getName()));
    if (named == null) {
      m.getHeader().setRcode(Rcode.NXDOMAIN);
      return m;
    }
    named.stream()
        .filter(r -> r.getType() == q.getType())
        .forEach(r -> m.addRecord(r, Section.ANSWER));
    if (truncated) {
      m.getHeader().setFlag(Flags.TC);
    }
    return m;
  }

  /** How many queries reached this upstream. */
  public synchronized int queries() {
    return queries;
  }

  private static String key(Name n) {
    return n.toString().toLowerCase(java.util.Locale.ROOT);
  }
}
