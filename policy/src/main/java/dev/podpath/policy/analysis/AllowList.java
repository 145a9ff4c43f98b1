package dev.podpath.policy.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Changes a CI pipeline accepts in {@code podpath diff --allow FILE}. One entry per line: {@code
 * [+|-] SRC => DST}, where {@code +} accepts opened connections, {@code -} closed ones and no sign
 * both; {@code *} in SRC or DST matches any run of characters. {@code #} starts a comment.
 */
public record AllowList(List<Entry> entries) {

  /** One accepted change pattern. */
  public record Entry(String sign, Pattern source, Pattern destination, int line) {}

  public AllowList {
    entries = List.copyOf(entries);
  }

  public static final AllowList EMPTY = new AllowList(List.of());

  /** Parses the text; a malformed line is an {@link IllegalArgumentException} naming it. */
  public static AllowList parse(String text) {
    var out = new ArrayList<Entry>();
    int n = 0;
    for (String raw : text.split("\n", -1)) {
      n++;
      String line = raw.replaceAll("#.*", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      String sign = "";
      if (line.startsWith("+") || line.startsWith("-")) {
        sign = line.substring(0, 1);
        line = line.substring(1).trim();
      }
      int arrow = line.indexOf("=>");
      if (arrow < 0) {
        throw new IllegalArgumentException(
            "line " + n + ": expected [+|-] SRC => DST, got: " + raw);
      }
      out.add(
          new Entry(
              sign,
              glob(line.substring(0, arrow).trim()),
              glob(line.substring(arrow + 2).trim()),
              n));
    }
    return new AllowList(out);
  }

  private static Pattern glob(String g) {
    var parts = new ArrayList<String>();
    for (String part : g.split("\\*", -1)) {
      parts.add(Pattern.quote(part));
    }
    return Pattern.compile(String.join(".*", parts));
  }

  /** Whether a change is accepted in the given direction ({@code +} opened, {@code -} closed). */
  public boolean accepts(String sign, ReachDiff.Change c) {
    for (var e : entries) {
      if ((e.sign().isEmpty() || e.sign().equals(sign))
          && e.source().matcher(c.source()).matches()
          && e.destination().matcher(c.destination()).matches()) {
        return true;
      }
    }
    return false;
  }
}
