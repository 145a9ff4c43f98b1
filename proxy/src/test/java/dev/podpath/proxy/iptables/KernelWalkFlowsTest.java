package dev.podpath.proxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podpath.kernel.walk.Attempt;
import dev.podpath.kernel.walk.ProbeResult;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import dev.podpath.net.trace.Trace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The corpus's packet flows through the emulated kernel's real packet walk (conntrack, NAT,
 * routing, every hook) over the rules this proxier generated and {@code iptables-restore} loaded.
 * The answer is read from the walk: the endpoints the explored branches reach, a DROP or REJECT by
 * a kube-proxy rule, or delivery to the node's health-check listener (ACCEPT), and whether the
 * packet was really masqueraded (an SNAT in POSTROUTING, where upstream's tracer only notes a jump
 * to {@code KUBE-MARK-MASQ}; the test also checks the two agree on every delivered attempt). Where
 * the kernel's answer differs from upstream's deliberately crude test tracer the difference is
 * listed in {@link #KERNEL_DIFFERS} with the reason, and the kernel's answer is asserted instead.
 */
class KernelWalkFlowsTest {

  /** "case / flow" → the kernel-faithful answer, where upstream's tracer says otherwise. */
  static final Map<String, String> KERNEL_DIFFERS = new TreeMap<>(Map.of());

  record Outcome(String output, boolean masq) {}

  @Test
  void everyCorpusFlowGivesUpstreamsAnswerThroughTheKernelWalk() {
    assumeTrue(Corpus.dir().isPresent(), "kube-proxy corpus absent: kernel walk skipped");
    List<String> differences = new ArrayList<>();
    List<String> snatNotes = new ArrayList<>();
    int walked = 0;
    for (Path p : Corpus.cases()) {
      JsonNode c = Corpus.read(p);
      if (c.path("flows").isEmpty()) {
        continue;
      }
      String name = p.getFileName().toString().replace(".yaml", "");
      JsonNode objects = c.path("objects");
      if (c.path("tracer_input_rules").isTextual()) {
        // Upstream traces a static copy of the overall case's rules; walk the rules this
        // proxier generates for the overall case's objects instead.
        objects = Corpus.read(p.resolveSibling("overall-iptables-rules.yaml")).path("objects");
      }
      var fake = new CorpusRig(c.path("proxier"));
      var rig = new KernelFlowRig(c.path("proxier"), fake);
      for (JsonNode o : objects) {
        add(rig, fake, o);
      }
      c.path("history").forEach(h -> add(rig, fake, h.path("object")));
      var r = rig.proxier.sync();
      assertThat(r.succeeded()).as(name + ": " + r.error()).isTrue();
      if (!c.path("history").isEmpty()) {
        c.path("history").forEach(h -> delete(rig, fake, h.path("object")));
        r = rig.proxier.sync();
        assertThat(r.succeeded()).as(name + ": " + r.error()).isTrue();
      }
      rig.populate();
      for (JsonNode f : c.path("flows")) {
        String proto = f.path("protocol").asText();
        String key = name + " / " + f.path("name").asText();
        ProbeResult result =
            rig.probe(
                f.path("source_ip").asText(),
                proto,
                f.path("dest_ip").asText(),
                f.path("dest_port").asInt());
        Outcome got = outcome(result);
        walked++;
        String expected =
            normalise(f.path("expected_output").asText())
                + " masq="
                + f.path("expected_masq").asBoolean();
        String actual = got.output() + " masq=" + got.masq();
        String wanted = KERNEL_DIFFERS.getOrDefault(key, expected);
        for (Attempt a : result.attempts()) {
          boolean marked = a.chains().contains("nat/KUBE-MARK-MASQ");
          boolean snat =
              a.forward()
                  .steps()
                  .anyMatch(st -> st instanceof Step.Nat n && n.kind().equals("SNAT"));
          if (a.fate() == Fate.DELIVERED && marked != snat) {
            snatNotes.add(key + ": marked=" + marked + " but SNAT=" + snat);
          }
        }
        if (!actual.equals(wanted)) {
          differences.add(
              key + ": upstream " + expected + ", kernel " + actual + " " + explain(result));
        }
      }
    }
    differences.forEach(System.out::println);
    assertThat(snatNotes).as("KUBE-MARK-MASQ traversed exactly when SNAT happened").isEmpty();
    System.out.println("walked " + walked + " flows");
    assertThat(differences).isEmpty();
    assertThat(walked).isEqualTo(246);
  }

  private static void add(KernelFlowRig rig, CorpusRig fake, JsonNode object) {
    JsonNode o = object;
    switch (o.path("kind").asText()) {
      case "Service" ->
          rig.tracker.onService(
              Corpus.YAML.convertValue(o, io.fabric8.kubernetes.api.model.Service.class));
      default ->
          rig.tracker.onEndpointSlice(
              Corpus.YAML.convertValue(
                  o, io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class));
    }
  }

  private static void delete(KernelFlowRig rig, CorpusRig fake, JsonNode o) {
    String ns = o.path("metadata").path("namespace").asText();
    String n = o.path("metadata").path("name").asText();
    if (o.path("kind").asText().equals("Service")) {
      rig.tracker.onServiceDeleted(ns, n);
    } else {
      rig.tracker.onEndpointSliceDeleted(ns, n);
    }
  }

  /** The fates and last steps of each attempt, to read a difference. */
  private static String explain(ProbeResult result) {
    var sb = new StringBuilder();
    for (Attempt a : result.attempts()) {
      List<Step> steps = a.forward().steps().toList();
      sb.append("[")
          .append(a.fate())
          .append(": ")
          .append(steps.subList(Math.max(0, steps.size() - 3), steps.size()))
          .append("]");
    }
    return sb.toString();
  }

  /** Endpoint lists compare as sets. */
  static String normalise(String output) {
    if (output.isEmpty() || !output.contains(":")) {
      return output;
    }
    return String.join(", ", new TreeSet<>(Arrays.asList(output.split(", "))));
  }

  static Outcome outcome(ProbeResult result) {
    var parts = new TreeSet<String>();
    boolean masq = false;
    for (Attempt a : result.attempts()) {
      masq |=
          a.forward().steps().anyMatch(st -> st instanceof Step.Nat n && n.kind().equals("SNAT"));
      parts.add(describe(a));
    }
    return new Outcome(normalise(String.join(", ", parts)), masq);
  }

  private static String describe(Attempt a) {
    if (a.fate() == Fate.DELIVERED && a.delivery().isPresent()) {
      var d = a.delivery().get();
      if (d.host().equals("backends")) {
        String ip = d.localAddress().toString();
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + d.localPort();
      }
      return "ACCEPT";
    }
    String kube = kubeVerdict(a.forward());
    return kube.isEmpty() ? "" : kube;
  }

  /** DROP or REJECT when a kube-proxy chain's rule gave that verdict, else empty. */
  private static String kubeVerdict(Trace t) {
    for (Step s : (Iterable<Step>) t.steps()::iterator) {
      if (s instanceof Step.Rule r
          && r.chain().startsWith("KUBE-")
          && (r.verdict().startsWith("DROP") || r.verdict().startsWith("REJECT"))) {
        return r.verdict().startsWith("DROP") ? "DROP" : "REJECT";
      }
    }
    return "";
  }
}
