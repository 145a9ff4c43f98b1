package dev.podpath.shell.iptables;

import java.util.ArrayList;
import java.util.List;

/** Splits a transcript's command line into words as a POSIX shell would (quotes, backslash). */
final class Words {

  private Words() {}

  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      switch (c) {
        case ' ', '\t' -> {
          if (inWord) {
            words.add(w.toString());
            w.setLength(0);
            inWord = false;
          }
        }
        case '\'' -> {
          int end = line.indexOf('\'', i + 1);
          if (end < 0) {
            throw new IllegalArgumentException("unterminated ' in: " + line);
          }
          w.append(line, i + 1, end);
          i = end;
          inWord = true;
        }
        case '"' -> {
          i++;
          while (i < line.length() && line.charAt(i) != '"') {
            char d = line.charAt(i);
            if (d == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
              d = line.charAt(++i);
            }
            w.append(d);
            i++;
          }
          if (i >= line.length()) {
            throw new IllegalArgumentException("unterminated \" in: " + line);
          }
          inWord = true;
        }
        case '\\' -> {
          if (i + 1 < line.length()) {
            w.append(line.charAt(++i));
          }
          inWord = true;
        }
        default -> {
          w.append(c);
          inWord = true;
        }
      }
    }
    if (inWord) {
      words.add(w.toString());
    }
    return words;
  }
}
