package dev.podpath.dns.server;

import java.io.ByteArrayOutputStream;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Writes responses. dnsjava's name compression matches names case-insensitively, which would
 * rewrite an additional-section owner in the question's case; CoreDNS's answers keep each name's
 * own case. So a response that fits uncompressed is written uncompressed, byte for byte as built;
 * only a larger one is compressed and, if still too large, truncated by dnsjava (dropping records
 * from the end, setting TC).
 */
public final class WireFormat {

  private WireFormat() {}

  /** The wire form of {@code m}, at most {@code maxLength} bytes. */
  public static byte[] encode(Message m, int maxLength) {
    byte[] plain = uncompressed(m);
    if (plain.length <= maxLength) {
      return plain;
    }
    return m.toWire(maxLength);
  }

  private static byte[] uncompressed(Message m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    Header h = m.getHeader();
    out.writeBytes(h.toWire());
    for (int section :
        new int[] {Section.QUESTION, Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record r : m.getSection(section)) {
        out.writeBytes(r.toWire(section));
      }
    }
    return out.toByteArray();
  }

  /** Whether the response has the TC bit. */
  public static boolean truncated(Message m) {
    return m.getHeader().getFlag(Flags.TC);
  }
}
