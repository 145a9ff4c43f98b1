package dev.podpath.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs each example (except the IPVS one, which the reference kernel cannot run) on the real kernel
 * through {@code ../shared/tools/kernel-lab -o json} and compares its probes with podpath's: the
 * same outcomes, delivered to the same places, answered alike, and for random splits the same
 * shares within 10%. Skips, saying why, without root or without kernel-lab.
 */
class KernelLabComparisonTest {

  static Stream<Path> labs() throws IOException {
    return LabExamplesTest.labs().filter(p -> !p.getFileName().toString().contains("ipvs"));
  }

  static Path kernelLab() {
    return Path.of(System.getProperty("podpath.shared", "../../shared"), "tools", "kernel-lab");
  }

  static boolean root() {
    try {
      Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
      String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.waitFor() == 0 && uid.equals("0");
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Per probe line: outcome → count, delivered places, answered count, attempts. */
  record Probe(
      int line,
      Map<String, Integer> outcomes,
      Map<String, Integer> deliveries,
      int answered,
      int attempts) {
    TreeSet<String> outcomeKinds() {
      var s = new TreeSet<String>();
      outcomes.forEach(
          (k, v) -> {
            if (v > 0) {
              s.add(k);
            }
          });
      return s;
    }
  }

  static Map<Integer, Probe> probes(String jsonLines) throws IOException {
    var out = new TreeMap<Integer, Probe>();
    var mapper = new ObjectMapper();
    for (String l : jsonLines.split("\n")) {
      if (l.isBlank()) {
        continue;
      }
      JsonNode n = mapper.readTree(l);
      if (!n.has("probe")) {
        continue;
      }
      var outcomes = new TreeMap<String, Integer>();
      n.get("outcomes")
          .fields()
          .forEachRemaining(e -> outcomes.put(e.getKey(), e.getValue().asInt()));
      var deliveries = new TreeMap<String, Integer>();
      n.get("deliveries")
          .forEach(
              d -> deliveries.merge(d.get("to").asText(), d.get("count").asInt(), Integer::sum));
      out.put(
          n.get("line").asInt(),
          new Probe(
              n.get("line").asInt(),
              outcomes,
              deliveries,
              n.get("answered").asInt(),
              n.get("attempts").asInt()));
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("labs")
  void podpathAndTheRealKernelAgreeOnEveryProbe(Path lab) throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(kernelLab()), "kernel-lab absent at " + kernelLab() + ": skipped");
    Assumptions.assumeTrue(
        root(), "not root: kernel-lab needs root to create network namespaces; skipped");
    Process p =
        new ProcessBuilder(kernelLab().toString(), "-o", "json", lab.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String kernelOut = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kernel-lab exit status for " + lab + "\n" + kernelOut).isZero();
    var podpath = LabExamplesTest.podpath("-o", "json", lab.toString());
    assertThat(podpath.exitCode()).isZero();
    Map<Integer, Probe> real = probes(kernelOut);
    Map<Integer, Probe> emulated = probes(podpath.out());
    assertThat(emulated.keySet()).isEqualTo(real.keySet());
    var differences = new ArrayList<String>();
    for (int line : real.keySet()) {
      Probe k = real.get(line);
      Probe e = emulated.get(line);
      if (!k.outcomeKinds().equals(e.outcomeKinds())) {
        differences.add(
            lab
                + ":"
                + line
                + ": outcomes "
                + e.outcomes()
                + " in podpath, "
                + k.outcomes()
                + " on Linux");
      }
      if (!k.deliveries().keySet().equals(e.deliveries().keySet())) {
        differences.add(
            lab
                + ":"
                + line
                + ": delivered to "
                + e.deliveries()
                + " in podpath, "
                + k.deliveries()
                + " on Linux");
      }
      for (String to : k.deliveries().keySet()) {
        double ks = (double) k.deliveries().get(to) / k.attempts();
        double es = (double) e.deliveries().getOrDefault(to, 0) / e.attempts();
        if (e.attempts() > 1 || k.attempts() > 1) {
          if (Math.abs(ks - es) > 0.10 && e.attempts() == k.attempts()) {
            differences.add(
                lab
                    + ":"
                    + line
                    + ": share of "
                    + to
                    + " "
                    + es
                    + " in podpath, "
                    + ks
                    + " on Linux");
          }
        }
      }
      boolean kAll = k.answered() == k.attempts();
      boolean eAll = e.answered() == e.attempts();
      if (kAll != eAll || (k.answered() == 0) != (e.answered() == 0)) {
        differences.add(
            lab
                + ":"
                + line
                + ": answered "
                + e.answered()
                + "/"
                + e.attempts()
                + " in podpath, "
                + k.answered()
                + "/"
                + k.attempts()
                + " on Linux");
      }
    }
    assertThat(differences).isEmpty();
  }

  static List<String> lines(String s) {
    return List.of(s.split("\n"));
  }
}
