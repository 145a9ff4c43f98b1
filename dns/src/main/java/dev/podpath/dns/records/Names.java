package dev.podpath.dns.records;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Domain-name helpers on presentation text (fully qualified, trailing dot), case-insensitive. */
public final class Names {

  private Names() {}

  /** Whether {@code child} equals or lies under {@code parent}, ignoring case. */
  public static boolean isSubDomain(String parent, String child) {
    String p = parent.toLowerCase(Locale.ROOT);
    String c = child.toLowerCase(Locale.ROOT);
    return p.equals(".") || c.equals(p) || c.endsWith("." + p);
  }

  /** {@code name} without {@code zone} and the dot before it ("" for the zone itself). */
  public static String trimZone(String name, String zone) {
    if (name.length() <= zone.length()) {
      return "";
    }
    return name.substring(0, name.length() - zone.length() - 1);
  }

  /** The labels of a relative or absolute name, left to right. */
  public static List<String> labels(String name) {
    List<String> out = new ArrayList<>();
    for (String l : name.split("\\.")) {
      if (!l.isEmpty()) {
        out.add(l);
      }
    }
    return out;
  }

  /** {@code name} with a trailing dot. */
  public static String fqdn(String name) {
    return name.endsWith(".") ? name : name + ".";
  }

  /** Joins labels and a zone (which ends in a dot). */
  public static String join(String zone, String... labels) {
    StringBuilder b = new StringBuilder();
    for (String l : labels) {
      b.append(l).append('.');
    }
    return b.append(zone).toString();
  }
}
