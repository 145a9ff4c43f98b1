package dev.podpath.shell.lab;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One shell word as written: segments that are bare (variables expand, values split on blanks),
 * double-quoted (variables expand, no splitting) or literal (single quotes and backslash escapes).
 */
public record Word(List<Segment> segments) {

  /** How a segment of a word was quoted. */
  public enum Quoting {
    BARE,
    DOUBLE,
    LITERAL
  }

  /** A run of characters quoted the same way. */
  public record Segment(Quoting quoting, String text) {}

  public Word {
    segments = List.copyOf(segments);
  }

  /** The word's characters without quotes, nothing expanded. */
  public String raw() {
    return segments.stream().map(Segment::text).collect(Collectors.joining());
  }

  /** Whether the word starts with bare text (an assignment or a command name can). */
  public boolean startsBare() {
    return !segments.isEmpty() && segments.get(0).quoting() == Quoting.BARE;
  }
}
