package dev.podpath.policy.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code src/test/resources}: compared as text, rewritten when the build runs
 * with {@code -Dpodpath.golden.update=true} (then review the diff).
 */
final class Golden {
  private Golden() {}

  static void assertMatches(String resource, String actual) throws IOException {
    Path file = Path.of("src/test/resources", resource);
    if (Boolean.getBoolean("podpath.golden.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual);
    }
    assertThat(Files.exists(file))
        .as("golden file %s (run with -Dpodpath.golden.update=true)", file)
        .isTrue();
    assertThat(actual).isEqualTo(Files.readString(file));
  }
}
