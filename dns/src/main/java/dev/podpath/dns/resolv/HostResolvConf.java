package dev.podpath.dns.resolv;

import java.util.ArrayList;
import java.util.List;

/**
 * The kubelet's reading of the node's resolv.conf ({@code --resolv-conf}): comment lines skipped,
 * only the first field after {@code nameserver} read, {@code nameserver} lines accumulating, the
 * last {@code search} and {@code options} lines winning, search domains without their trailing dot
 * ("." itself dropped); at most 10 MiB is read.
 */
public final class HostResolvConf {

  /** The file size the kubelet reads at most. */
  public static final int MAX_LENGTH = 10 * 1024 * 1024;

  /** A resolv.conf the kubelet rejects, with the reason. */
  public static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public ParseException(String message) {
      super(message);
    }
  }

  private HostResolvConf() {}

  /** Parses the file's text. */
  public static ResolvConf parse(String text) throws ParseException {
    if (text.length() > MAX_LENGTH) {
      text = text.substring(0, MAX_LENGTH);
    }
    List<String> nameservers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    List<String> options = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      String trimmed = line.strip();
      if (trimmed.startsWith("#")) {
        continue;
      }
      String[] fields = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
      if (fields.length == 0) {
        continue;
      }
      switch (fields[0]) {
        case "nameserver" -> {
          if (fields.length >= 2) {
            nameservers.add(fields[1]);
          } else {
            errors.add("line " + lineNo + ": nameserver list is empty");
          }
        }
        case "search" -> {
          searches = new ArrayList<>();
          for (int i = 1; i < fields.length; i++) {
            if (!fields[i].equals(".")) {
              searches.add(
                  fields[i].endsWith(".")
                      ? fields[i].substring(0, fields[i].length() - 1)
                      : fields[i]);
            }
          }
        }
        case "options" -> options = new ArrayList<>(List.of(fields).subList(1, fields.length));
        default -> {}
      }
    }
    if (!errors.isEmpty()) {
      throw new ParseException(String.join("; ", errors));
    }
    return new ResolvConf(nameservers, searches, options);
  }
}
