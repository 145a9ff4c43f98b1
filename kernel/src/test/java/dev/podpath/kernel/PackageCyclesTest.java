package dev.podpath.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kernel's packages depend on each other without cycles (STYLE.md 1), read from the sources'
 * imports.
 */
class PackageCyclesTest {

  private static final Pattern REF = Pattern.compile("dev\\.podpath\\.kernel(\\.[a-z]+)*");

  @Test
  void packagesFormNoCycle() throws IOException {
    var root = Path.of("src/main/java/dev/podpath/kernel");
    Map<String, Set<String>> deps = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (var f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg =
            "dev.podpath.kernel"
                + root.relativize(f.getParent())
                    .toString()
                    .replace('/', '.')
                    .transform(s -> s.isEmpty() ? "" : "." + s);
        var m = REF.matcher(Files.readString(f));
        while (m.find()) {
          String ref = m.group();
          String target = knownPackage(ref, root);
          if (!target.equals(pkg)) {
            deps.computeIfAbsent(pkg, k -> new TreeSet<>()).add(target);
          }
        }
      }
    }
    assertThat(deps.get("dev.podpath.kernel.walk"))
        .as("the scan sees imports")
        .contains("dev.podpath.kernel");
    List<String> cycles = new ArrayList<>();
    for (var from : deps.keySet()) {
      if (reaches(deps, from, from, new TreeSet<>())) {
        cycles.add(from + " -> " + deps.get(from));
      }
    }
    assertThat(cycles).as("packages on a dependency cycle").isEmpty();
  }

  /** The longest prefix of {@code ref} that is a package directory. */
  private static String knownPackage(String ref, Path root) {
    String best = "dev.podpath.kernel";
    var parts = ref.split("\\.");
    var sb = new StringBuilder("dev.podpath.kernel");
    Path dir = root;
    for (int i = 3; i < parts.length; i++) {
      dir = dir.resolve(parts[i]);
      if (!Files.isDirectory(dir)) {
        break;
      }
      sb.append('.').append(parts[i]);
      best = sb.toString();
    }
    return best;
  }

  private static boolean reaches(
      Map<String, Set<String>> deps, String at, String goal, Set<String> seen) {
    for (var next : deps.getOrDefault(at, Set.of())) {
      if (next.equals(goal)) {
        return true;
      }
      if (seen.add(next) && reaches(deps, next, goal, seen)) {
        return true;
      }
    }
    return false;
  }
}
