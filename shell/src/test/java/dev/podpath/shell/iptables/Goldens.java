package dev.podpath.shell.iptables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The golden transcripts under {@code src/test/resources/iptables}. */
final class Goldens {

  /** Where the transcripts are written when regenerated ({@code -Dpodpath.regenerate=true}). */
  static final Path SOURCE_DIR = Path.of("src/test/resources/iptables");

  private Goldens() {}

  static List<Path> files() {
    try {
      var url = Goldens.class.getResource("/iptables");
      if (url == null) {
        throw new IllegalStateException("test resources: /iptables is missing");
      }
      try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
        return s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean regenerate() {
    return Boolean.getBoolean("podpath.regenerate");
  }
}
