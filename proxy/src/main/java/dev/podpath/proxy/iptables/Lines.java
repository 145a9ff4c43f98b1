package dev.podpath.proxy.iptables;

import java.util.List;

/**
 * A buffer of restore-text lines (upstream's {@code LineBuffer}): each line is its words joined by
 * single spaces. Words may be lists of words, as kube-proxy splices argument lists.
 */
public final class Lines {

  private final StringBuilder text = new StringBuilder();
  private int count;

  /** Appends one line made of the words (Strings, or Lists of words, nested at will). */
  public Lines write(Object... words) {
    boolean first = true;
    for (Object w : words) {
      first = words(first, w);
    }
    text.append('\n');
    count++;
    return this;
  }

  private boolean words(boolean first, Object w) {
    if (w instanceof List<?> list) {
      boolean f = first;
      for (Object o : list) {
        f = words(f, o);
      }
      return f;
    }
    return word(first, (String) w);
  }

  private boolean word(boolean first, String w) {
    if (!first) {
      text.append(' ');
    }
    text.append(w);
    return false;
  }

  /** Appends one line verbatim. */
  public Lines writeLine(String line) {
    text.append(line).append('\n');
    count++;
    return this;
  }

  public int lineCount() {
    return count;
  }

  public void reset() {
    text.setLength(0);
    count = 0;
  }

  public void appendTo(StringBuilder out) {
    out.append(text);
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
