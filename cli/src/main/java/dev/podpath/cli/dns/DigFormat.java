package dev.podpath.cli.dns;

import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Prints a response as {@code dig +noedns} does from its header line on: the header, the flags and
 * counts, the recursion warning, then the non-empty sections. Records are laid out as BIND's {@code
 * masterdump.c} lays them out for dig: the TTL at column 24, the class at 32, the type at 40 and
 * the data at 48, reached with tabs of width 8, or with one space when the text before already
 * passed the column (the question, which has no TTL, puts its class at column 32; its leading
 * {@code ;} is not counted).
 */
final class DigFormat {

  static final int TTL_COLUMN = 24;
  static final int CLASS_COLUMN = 32;
  static final int TYPE_COLUMN = 40;
  static final int RDATA_COLUMN = 48;
  static final int TAB = 8;

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
        .append('\n');
    if (m.getHeader().getFlag(Flags.RD) && !m.getHeader().getFlag(Flags.RA)) {
      b.append(";; WARNING: recursion requested but not available\n");
    }
    b.append('\n');
    Record q = m.getQuestion();
    Columns question =
        new Columns()
            .add(q.getName().toString())
            .at(CLASS_COLUMN, DClass.string(q.getDClass()))
            .at(TYPE_COLUMN, Type.string(q.getType()));
    b.append(";; QUESTION SECTION:\n;").append(question.text).append('\n');
    section(b, "ANSWER", m.getSection(Section.ANSWER));
    section(b, "AUTHORITY", m.getSection(Section.AUTHORITY));
    section(b, "ADDITIONAL", additional);
    return b.toString();
  }

  /** One record as dig prints it ({@code name. 30 IN A 10.0.0.1}, tab-aligned). */
  static String line(Record r) {
    return new Columns()
        .add(r.getName().toString())
        .at(TTL_COLUMN, Long.toString(r.getTTL()))
        .at(CLASS_COLUMN, DClass.string(r.getDClass()))
        .at(TYPE_COLUMN, Type.string(r.getType()))
        .at(RDATA_COLUMN, r.rdataToString())
        .text
        .toString();
  }

  /** A line and the column it has reached (tabs count up to the next stop). */
  static final class Columns {
    final StringBuilder text = new StringBuilder();
    private int column;

    Columns add(String s) {
      text.append(s);
      column += s.length();
      return this;
    }

    /**
     * BIND's {@code indent()}: moves to column {@code to} (at least one past the current one) with
     * tabs when a tab stop lies in between, then spaces; then writes {@code s}.
     */
    Columns at(int to, String s) {
      int target = Math.max(to, column + 1);
      int tabs = target / TAB - column / TAB;
      if (tabs > 0) {
        text.append("\t".repeat(tabs));
        column = target / TAB * TAB;
      }
      text.append(" ".repeat(target - column));
      column = target;
      return add(s);
    }
  }

  private static void section(StringBuilder b, String title, List<Record> records) {
    if (records.isEmpty()) {
      return;
    }
    b.append("\n;; ").append(title).append(" SECTION:\n");
    records.forEach(r -> b.append(line(r)).append('\n'));
  }
}
