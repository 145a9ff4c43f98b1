package dev.podpath.proxy.iptables;

import java.util.ArrayList;
import java.util.List;

/** Splits rule text into words the way a shell (and {@code iptables-restore}) does with quotes. */
public final class RuleWords {

  private RuleWords() {}

  public static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (c == ' ' || c == '\t') {
        if (inWord) {
          words.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(cur.toString());
    }
    return words;
  }

  /** Joins words into rule text, quoting those with blanks as {@code iptables-save} does. */
  public static String join(List<String> words) {
    var sb = new StringBuilder();
    for (String w : words) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(w.contains(" ") || w.isEmpty() ? "\"" + w + "\"" : w);
    }
    return sb.toString();
  }

  /** The {@code -j} target of a rule's words, or empty text when it has none. */
  public static String target(List<String> words) {
    for (int i = 0; i + 1 < words.size(); i++) {
      if (words.get(i).equals("-j") || words.get(i).equals("--jump")) {
        return words.get(i + 1);
      }
    }
    return "";
  }
}
