package dev.podpath.kube.print;

import java.util.Locale;

/** kubectl's {@code -o} values podpath prints. */
public enum OutputFormat {
  TABLE,
  WIDE,
  YAML,
  JSON,
  NAME;

  /** Parses an {@code -o} value ({@code ""} is the table). */
  public static OutputFormat parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "", "table" -> TABLE;
      case "wide" -> WIDE;
      case "yaml" -> YAML;
      case "json" -> JSON;
      case "name" -> NAME;
      default ->
          throw new IllegalArgumentException(
              "unable to match a printer suitable for the"
                  + " output format \""
                  + text
                  + "\", allowed formats are: json,name,wide,yaml");
    };
  }
}
