package dev.podpath.dns.records;

import dev.podpath.net.IpAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Builds dnsjava records from presentation-format names, keeping their case. */
public final class RecordFactory {

  private RecordFactory() {}

  private static final int NAME_CACHE_SIZE = 200_000;
  private static final java.util.concurrent.ConcurrentHashMap<String, Name> NAMES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The absolute name for {@code text} (a trailing dot is added if missing). Parsed names are kept
   * (they are immutable) in a bounded table, as answers repeat the same few names.
   */
  public static Name name(String text) {
    Name cached = NAMES.get(text);
    if (cached != null) {
      return cached;
    }
    try {
      Name parsed = Name.fromString(Names.fqdn(text));
      if (NAMES.size() >= NAME_CACHE_SIZE) {
        NAMES.clear();
      }
      NAMES.put(text, parsed);
      return parsed;
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a domain name: " + text, e);
    }
  }

  /** An A or AAAA record, by the address's family. */
  public static Record address(String owner, long ttl, IpAddress ip) {
    InetAddress addr = inet(ip);
    return isV6(ip)
        ? new AAAARecord(name(owner), DClass.IN, ttl, addr)
        : new ARecord(name(owner), DClass.IN, ttl, addr);
  }

  /** The record type an address answers ({@link Type#A} or {@link Type#AAAA}). */
  public static int addressType(IpAddress ip) {
    return isV6(ip) ? Type.AAAA : Type.A;
  }

  public static Record cname(String owner, long ttl, String target) {
    return new CNAMERecord(name(owner), DClass.IN, ttl, name(target));
  }

  public static Record ptr(String owner, long ttl, String target) {
    return new PTRRecord(name(owner), DClass.IN, ttl, name(target));
  }

  public static Record ns(String owner, long ttl, String target) {
    return new NSRecord(name(owner), DClass.IN, ttl, name(target));
  }

  public static Record txt(String owner, long ttl, String text) {
    return new TXTRecord(name(owner), DClass.IN, ttl, text);
  }

  public static Record srv(
      String owner, long ttl, int priority, int weight, int port, String target) {
    return new SRVRecord(name(owner), DClass.IN, ttl, priority, weight, port, name(target));
  }

  /**
   * CoreDNS's SOA: {@code ns.dns.<zone> hostmaster.<zone> serial 7200 1800 86400 ttl}, owner TTL
   * min(ttl, 300).
   */
  public static Record soa(String zone, long ttl, long serial) {
    return new SOARecord(
        name(zone),
        DClass.IN,
        Math.min(ttl, 300),
        name("ns.dns." + zone),
        name("hostmaster." + zone),
        serial & 0xffffffffL,
        7200,
        1800,
        86400,
        ttl);
  }

  private static boolean isV6(IpAddress ip) {
    return ip.family() == dev.podpath.net.IpFamily.IPV6;
  }

  private static InetAddress inet(IpAddress ip) {
    int length = isV6(ip) ? 16 : 4;
    byte[] raw = ip.toBigInteger().toByteArray();
    byte[] bytes = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("literal address did not parse: " + ip, e);
    }
  }
}
