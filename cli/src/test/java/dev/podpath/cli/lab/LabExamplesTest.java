package dev.podpath.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every lab in {@code examples/} runs in podpath with all its expectations holding. */
class LabExamplesTest {

  static Path examples() {
    return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent().resolve("examples");
  }

  static Stream<Path> labs() throws IOException {
    try (var files = Files.list(examples())) {
      return files.filter(p -> p.toString().endsWith(".lab")).sorted().toList().stream();
    }
  }

  record Result(int exitCode, String out, String err) {}

  static Result podpath(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var o = new PrintStream(out, true, StandardCharsets.UTF_8);
    var e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int rc = new CommandLine(new LabCommand(o, e)).execute(args);
    return new Result(
        rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("labs")
  void theExampleHoldsInPodpath(Path lab) {
    Result r = podpath(lab.toString());
    assertThat(r.err()).as("stderr").isEmpty();
    assertThat(r.out()).as("output").doesNotContain(": expected ").contains("expectations hold");
    assertThat(r.exitCode()).isZero();
  }

  @org.junit.jupiter.api.Test
  void thereAreTheFiveExamplesOfTheIssue() throws IOException {
    assertThat(labs().map(p -> p.getFileName().toString()).toList())
        .containsExactly(
            "01-ssh-firewall-chain.lab",
            "02-ip-masquerade.lab",
            "03-dnat-load-balancing.lab",
            "04-namespace-veth-bridge.lab",
            "05-ipvs-two-real-servers.lab");
  }

  @org.junit.jupiter.api.Test
  void severalFilesRunEachOnAFreshWorldAndTheHighestStatusWins() throws IOException {
    Path bad = Files.createTempFile("bad", ".lab");
    Files.writeString(bad, "host a\nexpect delivered\n");
    Result r = podpath(examples().resolve("01-ssh-firewall-chain.lab").toString(), bad.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains(bad + ":2: expected delivered, got no probe before this line");
    Result json =
        podpath("-o", "json", examples().resolve("03-dnat-load-balancing.lab").toString());
    assertThat(json.exitCode()).isZero();
    assertThat(List.of(json.out().split("\n"))).allMatch(l -> l.startsWith("{\"file\":"));
  }
}
