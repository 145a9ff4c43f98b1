package dev.podpath.shell;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A transcript recorded from the real tools ({@code $ command}, {@code ? exit}, {@code > stdout},
 * {@code ! stderr} lines), as the {@code record*.py} scripts next to it write them.
 */
public record GoldenTranscript(String command, int exitCode, String stdout, String stderr) {

  public static List<GoldenTranscript> load(String resource) throws IOException {
    String text;
    try (InputStream in =
        Objects.requireNonNull(GoldenTranscript.class.getResourceAsStream(resource), resource)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    var out = new ArrayList<GoldenTranscript>();
    String cmd = null;
    int rc = 0;
    var so = new StringBuilder();
    var se = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("$ ") || line.isEmpty()) {
        if (cmd != null) {
          out.add(new GoldenTranscript(cmd, rc, so.toString(), se.toString()));
        }
        cmd = line.isEmpty() ? null : line.substring(2);
        so.setLength(0);
        se.setLength(0);
      } else if (line.startsWith("? ")) {
        rc = Integer.parseInt(line.substring(2));
      } else if (line.startsWith("> ")) {
        so.append(line.substring(2)).append('\n');
      } else if (line.startsWith("! ")) {
        se.append(line.substring(2)).append('\n');
      }
    }
    return out;
  }

  /** Masks MAC addresses (random on Linux) as {@code MAC}. */
  public static String normalize(String s) {
    return s.replaceAll(
        "(?<![0-9a-f:])(?!00:00:00:00:00:00|ff:ff:ff:ff:ff:ff)([0-9a-f]{2}(:[0-9a-f]{2}){5})",
        "MAC");
  }

  /** This transcript's result as a comparable value, normalised. */
  public GoldenTranscript normalized() {
    return new GoldenTranscript(command, exitCode, normalize(stdout), normalize(stderr));
  }

  public static GoldenTranscript of(String command, ToolResult r) {
    return new GoldenTranscript(command, r.exitCode(), r.stdout(), r.stderr()).normalized();
  }
}
