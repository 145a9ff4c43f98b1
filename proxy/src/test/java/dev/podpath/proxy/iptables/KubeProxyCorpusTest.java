package dev.podpath.proxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the kube-proxy conformance corpus: the restore text of each sync equals upstream's
 * after upstream's normalisation, chain texts and rule presence match, multi-step cases fail and
 * recover as upstream's do, and every packet flow gives upstream's answer under upstream's own test
 * tracer (the kernel-faithful walk is {@code KernelWalkFlowsTest}).
 */
class KubeProxyCorpusTest {

  static Stream<Arguments> cases() {
    return Corpus.cases().stream().map(p -> Arguments.of(p.getFileName().toString(), p));
  }

  @Test
  void corpusIsPresentOrSkippedClearly() {
    assumeTrue(
        Corpus.dir().isPresent(),
        "kube-proxy corpus absent: set -Dpodpath.shared to the shared directory");
    assertThat(Corpus.cases()).hasSize(55);
  }

  @Test
  void everyFlowOfTheCorpusIsChecked() {
    assumeTrue(Corpus.dir().isPresent(), "kube-proxy corpus absent: nothing to count");
    int flows = 0;
    for (Path p : Corpus.cases()) {
      flows += run(Corpus.read(p));
    }
    assertThat(flows).isEqualTo(246);
  }

  // with the corpus absent there are no cases; corpusIsPresentOrSkippedClearly says why
  @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
  @MethodSource("cases")
  void caseMatchesUpstream(String name, Path file) {
    run(Corpus.read(file));
  }

  /** Runs one case, asserting everything it expects; returns the number of flows checked. */
  private static int run(JsonNode c) {
    var rig = new CorpusRig(c.path("proxier"));
    if (c.path("tracer_input_rules").isTextual()) {
      restoreStatic(rig, c.path("tracer_input_rules").asText());
    } else if (c.path("steps").isArray()) {
      runSteps(rig, c.path("steps"));
    } else {
      runObjects(rig, c);
    }
    return checkFlows(rig, c.path("flows"));
  }

  private static void restoreStatic(CorpusRig rig, String text) {
    try {
      rig.iptables.restore(text);
    } catch (Iptables.RestoreException e) {
      throw new AssertionError(e);
    }
  }

  private static void runObjects(CorpusRig rig, JsonNode c) {
    c.path("objects").forEach(rig::add);
    c.path("history").forEach(h -> rig.add(h.path("object")));
    var first = rig.proxier.sync();
    assertThat(first.succeeded()).as(first.error()).isTrue();
    var last = first;
    if (!c.path("history").isEmpty()) {
      c.path("history").forEach(h -> rig.delete(h.path("object")));
      last = rig.proxier.sync();
      assertThat(last.succeeded()).as(last.error()).isTrue();
      assertThat(last.full()).isFalse();
    }
    JsonNode expected = c.path("expected_iptables_restore");
    if (expected.isTextual()) {
      assertThat(RestoreNormalizer.normalize(last.restoreInput()))
          .isEqualTo(expected.asText().stripLeading());
      assertConsistent(last.restoreInput());
    }
    for (JsonNode ch : c.path("expected_chains")) {
      assertThat(
              chainText(last.restoreInput(), ch.path("table").asText(), ch.path("chain").asText()))
          .as(ch.path("table").asText() + " " + ch.path("chain").asText())
          .isEqualTo(ch.path("rules").asText());
    }
    for (JsonNode pr : c.path("expected_rule_presence")) {
      boolean present =
          rig.iptables.rules(pr.path("table").asText(), pr.path("chain").asText()).stream()
              .map(RuleWords::split)
              .anyMatch(
                  w -> {
                    int i = w.indexOf("-d");
                    return i >= 0 && w.get(i + 1).equals(pr.path("destination").asText());
                  });
      assertThat(present)
          .as("rule to " + pr.path("destination").asText())
          .isEqualTo(pr.path("present").asBoolean());
    }
  }

  private static void runSteps(CorpusRig rig, JsonNode steps) {
    for (JsonNode step : steps) {
      String what = step.path("name").asText();
      step.path("apply").forEach(rig::apply);
      if (step.path("sync").asText().equals("force-full")) {
        rig.proxier.forceFullSync();
      }
      int failuresBefore = rig.proxier.partialRestoreFailures();
      var r = rig.proxier.sync();
      JsonNode outcome = step.path("expected_outcome");
      if (outcome.path("restore_failed").asBoolean()) {
        assertThat(r.succeeded()).as(what).isFalse();
        for (int i = 0; i + 1 < outcome.path("chain_still_exists").size(); i += 2) {
          assertThat(
                  rig.iptables.hasChain(
                      outcome.path("chain_still_exists").get(i).asText(),
                      outcome.path("chain_still_exists").get(i + 1).asText()))
              .as(what)
              .isTrue();
        }
        assertThat(rig.proxier.needsFullSync())
            .as(what)
            .isEqualTo(outcome.path("need_full_sync_afterwards").asBoolean());
        assertThat(rig.proxier.partialRestoreFailures() - failuresBefore)
            .as(what)
            .isEqualTo(outcome.path("partial_restore_failures_metric_increment").asInt());
        continue;
      }
      assertThat(r.succeeded()).as(what + ": " + r.error()).isTrue();
      if (step.path("expected_iptables_restore").isTextual()) {
        assertThat(RestoreNormalizer.normalize(r.restoreInput()))
            .as(what)
            .isEqualTo(step.path("expected_iptables_restore").asText().stripLeading());
      }
      if (step.path("upstream_checks_consistency").asBoolean()) {
        assertConsistent(r.restoreInput());
      }
      checkOutput(what, r.restoreInput(), step.path("expected_output_checks"));
    }
  }

  private static void checkOutput(String what, String text, JsonNode checks) {
    if (checks.isMissingNode()) {
      return;
    }
    List<String> dnat =
        text.lines().filter(l -> l.startsWith("-A KUBE-SEP-") && l.contains("-j DNAT")).toList();
    if (checks.has("dnat_lines")) {
      assertThat(dnat).as(what).hasSize(checks.path("dnat_lines").asInt());
    }
    if (checks.has("dnat_lines_with_comment")) {
      assertThat(dnat.stream().filter(l -> l.contains("--comment")).count())
          .as(what)
          .isEqualTo(checks.path("dnat_lines_with_comment").asLong());
    }
    if (checks.has("dnat_line_matching")) {
      String sub = checks.path("dnat_line_matching").path("substring").asText();
      String last = "";
      for (String l : dnat) {
        if (l.contains(sub)) {
          last = l;
        }
      }
      assertThat(last).as(what).isEqualTo(checks.path("dnat_line_matching").path("line").asText());
    }
    checks.path("output_contains").forEach(s -> assertThat(text).as(what).contains(s.asText()));
    checks
        .path("output_does_not_contain")
        .forEach(s -> assertThat(text).as(what).doesNotContain(s.asText()));
  }

  private static int checkFlows(CorpusRig rig, JsonNode flows) {
    var tracer = new UpstreamTracer(rig.iptables, rig.tracerLocalIps);
    for (JsonNode f : flows) {
      var r =
          tracer.trace(
              f.path("source_ip").asText(),
              f.path("protocol").asText().toLowerCase(java.util.Locale.ROOT),
              f.path("dest_ip").asText(),
              f.path("dest_port").asText());
      assertThat(r.output())
          .as(f.path("name").asText())
          .isEqualTo(f.path("expected_output").asText());
      assertThat(r.masq())
          .as(f.path("name").asText() + " masquerade")
          .isEqualTo(f.path("expected_masq").asBoolean());
    }
    return flows.size();
  }

  /** The rules of one chain in generated order, each followed by a newline. */
  static String chainText(String restore, String table, String chain) {
    var sb = new StringBuilder();
    String current = "";
    for (String l : restore.split("\n")) {
      if (l.startsWith("*")) {
        current = l.substring(1);
      } else if (current.equals(table) && l.startsWith("-A " + chain + " ")) {
        sb.append(l).append('\n');
      }
    }
    return sb.toString();
  }

  /** Upstream's consistency check of a full restore text (README 6.1). */
  static void assertConsistent(String restore) {
    List<String> fixed =
        List.of(
            "KUBE-SERVICES",
            "KUBE-EXTERNAL-SERVICES",
            "KUBE-NODEPORTS",
            "KUBE-POSTROUTING",
            "KUBE-FORWARD",
            "KUBE-MARK-MASQ",
            "KUBE-PROXY-FIREWALL",
            "KUBE-FIREWALL");
    List<String> builtinTargets =
        List.of("ACCEPT", "REJECT", "DROP", "MARK", "RETURN", "DNAT", "SNAT", "MASQUERADE");
    for (String table : List.of("filter", "nat")) {
      List<String> declared = new ArrayList<>();
      List<String> withRules = new ArrayList<>();
      List<String> jumpedTo = new ArrayList<>();
      String current = "";
      List<String> ruleLines = new ArrayList<>();
      for (String l : restore.split("\n")) {
        if (l.startsWith("*")) {
          current = l.substring(1);
        } else if (!current.equals(table)) {
          continue;
        } else if (l.startsWith(":")) {
          declared.add(l.substring(1).split(" ")[0]);
        } else if (l.startsWith("-A ")) {
          ruleLines.add(l);
          withRules.add(l.split(" ")[1]);
          String t = RuleWords.target(RuleWords.split(l));
          if (!t.isEmpty() && !builtinTargets.contains(t)) {
            jumpedTo.add(t);
          }
        }
      }
      assertThat(declared).as(table + ": every -A chain is declared").containsAll(withRules);
      for (String t : jumpedTo) {
        assertThat(declared).as(table + ": jump target declared").contains(t);
        if (!t.equals("KUBE-NODEPORTS")) {
          assertThat(withRules).as(table + ": jump target " + t + " has rules").contains(t);
        }
      }
      for (String d : declared) {
        if (!fixed.contains(d)) {
          assertThat(jumpedTo).as(table + ": " + d + " is jumped to").contains(d);
        }
      }
    }
  }
}
