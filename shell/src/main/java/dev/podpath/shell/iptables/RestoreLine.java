package dev.podpath.shell.iptables;

import java.util.ArrayList;
import java.util.List;

/**
 * How iptables-restore 1.8.9 cuts a rule line into words ({@code add_param_to_argv}): blanks
 * separate words; a double quote opens a quoted word in which a backslash escapes the next
 * character and the closing quote ends the word; single quotes are ordinary characters.
 */
final class RestoreLine {

  private RestoreLine() {}

  /** The words of {@code line}, which ends with its newline as the real tool reads it. */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder param = new StringBuilder();
    boolean quoteOpen = false;
    boolean escaped = false;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (!quoteOpen && param.isEmpty() && !quoted && !special(c)) {
        // fast path: a plain word (no quote in it) is the text up to the next blank
        int end = i + 1;
        while (end < line.length() && !special(line.charAt(end))) {
          end++;
        }
        if (end == line.length() || line.charAt(end) != '"') {
          out.add(line.substring(i, end));
          i = end; // the blank after the word (if any) separates, as below
          continue;
        }
      }
      if (quoteOpen) {
        if (escaped) {
          param.append(c);
          escaped = false;
          continue;
        } else if (c == '\\') {
          escaped = true;
          continue;
        } else if (c == '"') {
          quoteOpen = false;
        } else {
          param.append(c);
          continue;
        }
      } else if (c == '"') {
        quoteOpen = true;
        quoted = true;
        continue;
      }
      if (c == '"') {
        // the closing quote ends the word
      } else if (c == ' ' || c == '\t' || c == '\n') {
        if (param.isEmpty() && !quoted) {
          continue;
        }
      } else {
        param.append(c);
        continue;
      }
      out.add(param.toString());
      param.setLength(0);
      quoted = false;
    }
    if (!param.isEmpty()) {
      out.add(param.toString());
    }
    return out;
  }

  private static boolean special(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '"';
  }
}
