package dev.podpath.policy.analysis;

import dev.podpath.net.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a connectivity list: {@code connlist} (np-guard's line format, byte for byte), {@code
 * txt} (aligned columns), {@code csv}, {@code md} and {@code json}.
 */
public final class Renderer {

  /** The output formats of {@code podpath reach}. */
  public enum Format {
    TXT,
    JSON,
    CSV,
    MD,
    CONNLIST;

    public static Format parse(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  /** One protocol and port (np-guard's {@code focusConn}, {@code udp-52}). */
  public record PortQuery(Protocol protocol, int port) {
    public static PortQuery parse(String text) {
      int dash = text.indexOf('-');
      if (dash < 0) {
        throw new IllegalArgumentException("connection: expected PROTOCOL-PORT, got " + text);
      }
      var p =
          Protocol.find(text.substring(0, dash))
              .orElseThrow(
                  () -> new IllegalArgumentException("connection: unknown protocol in " + text));
      return new PortQuery(p, Integer.parseInt(text.substring(dash + 1)));
    }
  }

  private Renderer() {}

  public static String render(List<Connection> lines, Format format) {
    return switch (format) {
      case CONNLIST -> connlist(lines);
      case TXT -> txt(lines);
      case CSV -> csv(lines);
      case MD -> md(lines);
      case JSON -> json(lines);
    };
  }

  /** np-guard's connlist: one {@code SRC => DST : CONNS} line per pair. */
  public static String connlist(List<Connection> lines) {
    var sb = new StringBuilder();
    for (var c : lines) {
      sb.append(c).append('\n');
    }
    return sb.toString();
  }

  /** np-guard's {@code focusConn} list: the pairs whose allowed set contains one port. */
  public static String permitted(List<Connection> lines, PortQuery q) {
    var sb =
        new StringBuilder(
            "Permitted connections on " + q.protocol().name() + " " + q.port() + ":\n");
    for (var c : lines) {
      if (c.allowed().allows(q.protocol(), q.port())) {
        sb.append(c.source().label()).append(" => ").append(c.destination().label()).append('\n');
      }
    }
    return sb.toString();
  }

  private static String txt(List<Connection> lines) {
    int w1 = "SOURCE".length();
    int w2 = "DESTINATION".length();
    for (var c : lines) {
      w1 = Math.max(w1, c.source().label().length());
      w2 = Math.max(w2, c.destination().label().length());
    }
    var sb = new StringBuilder();
    String fmt = "%-" + w1 + "s  %-" + w2 + "s  %s%n";
    sb.append(String.format(fmt, "SOURCE", "DESTINATION", "CONNECTIONS"));
    for (var c : lines) {
      sb.append(String.format(fmt, c.source().label(), c.destination().label(), c.allowed()));
    }
    return sb.toString();
  }

  private static String csv(List<Connection> lines) {
    var sb = new StringBuilder("src,dst,conn\n");
    for (var c : lines) {
      sb.append(csvField(c.source().label()))
          .append(',')
          .append(csvField(c.destination().label()))
          .append(',')
          .append(csvField(c.allowed().toString()))
          .append('\n');
    }
    return sb.toString();
  }

  private static String csvField(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static String md(List<Connection> lines) {
    var sb = new StringBuilder("| src | dst | conn |\n|-----|-----|------|\n");
    for (var c : lines) {
      sb.append("| ")
          .append(c.source().label())
          .append(" | ")
          .append(c.destination().label())
          .append(" | ")
          .append(c.allowed())
          .append(" |\n");
    }
    return sb.toString();
  }

  private static String json(List<Connection> lines) {
    var parts = new ArrayList<String>();
    for (var c : lines) {
      parts.add(
          "  {\"src\": "
              + quote(c.source().label())
              + ", \"dst\": "
              + quote(c.destination().label())
              + ", \"conn\": "
              + quote(c.allowed().toString())
              + "}");
    }
    return parts.isEmpty() ? "[]\n" : "[\n" + String.join(",\n", parts) + "\n]\n";
  }

  static String quote(String s) {
    var sb = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> sb.append(ch < 0x20 ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
      }
    }
    return sb.append('"').toString();
  }
}
