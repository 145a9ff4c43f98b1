package dev.podpath.kube.print;

import java.time.Duration;
import java.time.Instant;

/** kubectl's AGE column ({@code duration.HumanDuration}). */
public final class Ages {

  private Ages() {}

  public static String since(String timestamp, Instant now) {
    if (timestamp == null) {
      return "<unknown>";
    }
    return human(Duration.between(Instant.parse(timestamp), now));
  }

  public static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    long m = s / 60;
    if (m < 10) {
      return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    }
    if (m < 180) {
      return m + "m";
    }
    long h = m / 60;
    if (h < 8) {
      return h + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
    }
    if (h < 48) {
      return h + "h";
    }
    long days = h / 24;
    if (h < 24 * 8) {
      return days + "d" + (h % 24 == 0 ? "" : (h % 24) + "h");
    }
    if (days < 365 * 2) {
      return days + "d";
    }
    return (days / 365) + "y" + (days % 365 == 0 ? "" : (days % 365) + "d");
  }
}
