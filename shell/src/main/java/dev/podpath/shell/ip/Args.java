package dev.podpath.shell.ip;

import java.util.List;

/** A cursor over the words of an {@code ip} command. */
final class Args {

  private final List<String> words;
  private int pos;

  Args(List<String> words) {
    this.words = words;
  }

  boolean has() {
    return pos < words.size();
  }

  String peek() {
    return words.get(pos);
  }

  String next() {
    return words.get(pos++);
  }

  /** The value after a keyword; "Command line is not complete" when missing. */
  String value() {
    if (!has()) {
      throw IpError.incomplete();
    }
    return next();
  }

  /**
   * Whether the next word abbreviates {@code full} (iproute2's {@code matches()}): consumed if so.
   */
  boolean accept(String full) {
    if (has() && matches(peek(), full)) {
      pos++;
      return true;
    }
    return false;
  }

  /** iproute2's prefix matching: {@code word} is a non-empty prefix of {@code full}. */
  static boolean matches(String word, String full) {
    return !word.isEmpty() && full.startsWith(word);
  }
}
