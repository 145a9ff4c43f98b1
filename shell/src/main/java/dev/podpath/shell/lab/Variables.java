package dev.podpath.shell.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** A lab's shell variables and their expansion ({@code $NAME}, {@code ${NAME}}). */
public final class Variables {

  private static final Pattern REFERENCE =
      Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)\\}|([A-Za-z_][A-Za-z0-9_]*))");
  private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)=");

  private final Map<String, String> values = new TreeMap<>();

  /** Thrown for {@code $NAME} of a variable never set. */
  public static final class Undefined extends RuntimeException {
    public Undefined(String name) {
      super("undefined variable $" + name);
    }
  }

  public void set(String name, String value) {
    values.put(name, value);
  }

  /** Whether the word is {@code NAME=…}, an assignment when it stands alone. */
  public static boolean isAssignment(Word word) {
    return word.startsBare() && ASSIGNMENT.matcher(word.segments().get(0).text()).find();
  }

  /** Performs the assignment {@code NAME=value} written as {@code word}. */
  public void assign(Word word) {
    Matcher m = ASSIGNMENT.matcher(word.segments().get(0).text());
    if (!m.find()) {
      throw new IllegalArgumentException("not an assignment: " + word.raw());
    }
    String name = m.group(1);
    var rest = new ArrayList<Word.Segment>();
    rest.add(new Word.Segment(Word.Quoting.BARE, word.segments().get(0).text().substring(m.end())));
    rest.addAll(word.segments().subList(1, word.segments().size()));
    set(name, String.join(" ", expand(new Word(rest), false)));
  }

  /** Expands {@code $NAME} references in text (a here-document body, a double-quoted string). */
  public String expandText(String text) {
    Matcher m = REFERENCE.matcher(text);
    var sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(value(m)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /**
   * The fields a word expands to: one, or none for an empty bare expansion, or several when a bare
   * variable's value holds blanks and {@code split} is on.
   */
  public List<String> expand(Word word, boolean split) {
    var fields = new ArrayList<String>();
    @Nullable StringBuilder cur = null;
    for (Word.Segment seg : word.segments()) {
      switch (seg.quoting()) {
        case LITERAL -> cur = append(cur, seg.text());
        case DOUBLE -> cur = append(cur, expandText(seg.text()));
        case BARE -> {
          if (!split) {
            cur = append(cur, expandText(seg.text()));
            continue;
          }
          String text = seg.text();
          Matcher m = REFERENCE.matcher(text);
          int pos = 0;
          while (m.find()) {
            if (m.start() > pos) {
              cur = append(cur, text.substring(pos, m.start()));
            }
            String[] pieces = value(m).split("[ \t\n]+", -1);
            for (int k = 0; k < pieces.length; k++) {
              if (k > 0 && cur != null) {
                fields.add(cur.toString());
                cur = null;
              }
              if (!pieces[k].isEmpty()) {
                cur = append(cur, pieces[k]);
              }
            }
            pos = m.end();
          }
          if (pos < text.length()) {
            cur = append(cur, text.substring(pos));
          }
        }
      }
    }
    if (cur != null) {
      fields.add(cur.toString());
    }
    return fields;
  }

  private String value(Matcher m) {
    String name = m.group(1) != null ? m.group(1) : m.group(2);
    String v = values.get(name);
    if (v == null) {
      throw new Undefined(name);
    }
    return v;
  }

  private static StringBuilder append(@Nullable StringBuilder sb, String s) {
    return (sb == null ? new StringBuilder() : sb).append(s);
  }
}
