package dev.podpath.cli.dns;

import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Prints a response as {@code dig} does (header, flags, counts, then the non-empty sections). */
final class DigFormat {

  private DigFormat() {}

  static String render(Message m) {
    StringBuilder b = new StringBuilder();
    b.append(";; ->>HEADER<<- opcode: ")
        .append(Opcode.string(m.getHeader().getOpcode()))
        .append(", status: ")
        .append(Rcode.string(m.getRcode()))
        .append(", id: ")
        .append(m.getHeader().getID())
        .append('\n');
    StringBuilder flags = new StringBuilder();
    for (int f : new int[] {Flags.QR, Flags.AA, Flags.TC, Flags.RD, Flags.RA}) {
      if (m.getHeader().getFlag(f)) {
        flags.append(' ').append(Flags.string(f));
      }
    }
    List<Record> additional =
        m.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() != Type.OPT).toList();
    b.append(";; flags:")
        .append(flags)
        .append("; QUERY: 1, ANSWER: ")
        .append(m.getSection(Section.ANSWER).size())
        .append(", AUTHORITY: ")
        .append(m.getSection(Section.AUTHORITY).size())
        .append(", ADDITIONAL: ")
        .append(additional.size())
        .append("\n\n");
    Record q = m.getQuestion();
    b.append(";; QUESTION SECTION:\n;")
        .append(q.getName())
        .append("\t\tIN\t")
        .append(Type.string(q.getType()))
        .append("\n");
    section(b, "ANSWER", m.getSection(Section.ANSWER));
    section(b, "AUTHORITY", m.getSection(Section.AUTHORITY));
    section(b, "ADDITIONAL", additional);
    return b.toString();
  }

  private static void section(StringBuilder b, String title, List<Record> records) {
    if (records.isEmpty()) {
      return;
    }
    b.append("\n;; ").append(title).append(" SECTION:\n");
    records.forEach(r -> b.append(r).append('\n'));
  }
}
