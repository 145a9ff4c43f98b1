package dev.podpath.dns.forward;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A response cache in front of the upstream, as CoreDNS's cache plugin: successes and denials
 * (NXDOMAIN, NODATA) in two bounded tables, each entry kept for its smallest TTL clamped to the
 * settings, served with TTLs counted down and the asker's message ID. Truncated and SERVFAIL
 * responses are not kept. Eviction is least-recently-used (CoreDNS evicts at random).
 */
public final class ResponseCache {

  private record Entry(Message message, long storedNanos, long ttlSeconds) {}

  private final CacheSettings settings;
  private final LongSupplier nanoTime;
  private final Map<String, Entry> success;
  private final Map<String, Entry> denial;

  /** A cache reading time from {@code nanoTime} (System::nanoTime, or a virtual clock). */
  public ResponseCache(CacheSettings settings, LongSupplier nanoTime) {
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.success = lru(settings.capacity());
    this.denial = lru(settings.capacity());
  }

  /** The cached response for {@code query}, TTLs decremented, if fresh. */
  public synchronized Optional<Message> get(Message query) {
    String key = key(query);
    for (Map<String, Entry> table : List.of(success, denial)) {
      Entry e = table.get(key);
      if (e == null) {
        continue;
      }
      long age = (nanoTime.getAsLong() - e.storedNanos()) / 1_000_000_000L;
      if (age >= e.ttlSeconds()) {
        table.remove(key);
        return Optional.empty();
      }
      return Optional.of(aged(e.message(), age, query.getHeader().getID()));
    }
    return Optional.empty();
  }

  /** Stores {@code response} to {@code query} if cacheable. */
  public synchronized void put(Message query, Message response) {
    int rcode = response.getRcode();
    if (response.getHeader().getFlag(Flags.TC)
        || (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN)) {
      return;
    }
    boolean positive = rcode == Rcode.NOERROR && !response.getSection(Section.ANSWER).isEmpty();
    long max = positive ? settings.successMaxTtl() : settings.denialMaxTtl();
    long ttl = Math.max(settings.minTtl(), Math.min(max, minimalTtl(response, positive)));
    if (ttl == 0 || settings.capacity() == 0) {
      return;
    }
    (positive ? success : denial)
        .put(key(query), new Entry(response.clone(), nanoTime.getAsLong(), ttl));
  }

  /** Entries held (successes + denials). */
  public synchronized int size() {
    return success.size() + denial.size();
  }

  private static long minimalTtl(Message m, boolean positive) {
    long min = Long.MAX_VALUE;
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record r : m.getSection(section)) {
        if (r.getType() == Type.OPT) {
          continue;
        }
        min = Math.min(min, r.getTTL());
        if (!positive && r instanceof SOARecord soa) {
          min = Math.min(min, soa.getMinimum());
        }
      }
    }
    return min == Long.MAX_VALUE ? 5 : min;
  }

  private static Message aged(Message stored, long age, int id) {
    Message m = new Message(id);
    m.getHeader().setRcode(stored.getRcode());
    for (int flag : new int[] {Flags.QR, Flags.AA, Flags.RD, Flags.RA, Flags.AD, Flags.CD}) {
      if (stored.getHeader().getFlag(flag)) {
        m.getHeader().setFlag(flag);
      }
    }
    m.getHeader().unsetFlag(Flags.AA);
    m.addRecord(stored.getQuestion(), Section.QUESTION);
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record r : stored.getSection(section)) {
        if (r.getType() == Type.OPT) {
          continue;
        }
        m.addRecord(withTtl(r, Math.max(0, r.getTTL() - age)), section);
      }
    }
    return m;
  }

  private static Record withTtl(Record r, long ttl) {
    byte[] wire = r.toWire(Section.ANSWER);
    int at = r.getName().length() + 4;
    for (int i = 0; i < 4; i++) {
      wire[at + i] = (byte) (ttl >>> (24 - 8 * i));
    }
    try {
      return Record.fromWire(wire, Section.ANSWER);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("re-reading a record dnsjava wrote failed", e);
    }
  }

  private static String key(Message query) {
    Record q = query.getQuestion();
    boolean cd = query.getHeader().getFlag(Flags.CD);
    return q.getName().toString().toLowerCase(Locale.ROOT)
        + "/"
        + q.getType()
        + "/"
        + q.getDClass()
        + "/"
        + cd;
  }

  private static <V> Map<String, V> lru(int capacity) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > capacity;
      }
    };
  }
}
