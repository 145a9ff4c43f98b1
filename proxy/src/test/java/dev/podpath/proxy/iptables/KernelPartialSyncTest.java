package dev.podpath.proxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podpath.kernel.World;
import dev.podpath.net.VirtualClock;
import dev.podpath.proxy.ChangeTracker;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The corpus's repeated-sync case against the emulated kernel through the {@code shell} codec: each
 * partial sync's input equals upstream's (without nfacct matches, which the emulated kernel has no
 * objects for, and with {@code --random-fully}, which it has), the partial restore that deletes a
 * chain still referenced by a rule injected outside kube-proxy is refused by {@code
 * iptables-restore} and leaves the chain, and the full resync that follows succeeds.
 */
class KernelPartialSyncTest {

  @Test
  void repeatedSyncsBehaveAsUpstreamsOnTheEmulatedKernel() {
    assumeTrue(Corpus.dir().isPresent(), "kube-proxy corpus absent: test skipped");
    JsonNode c = Corpus.read(Corpus.dir().get().resolve("cases/sync-proxy-rules-repeated.yaml"));
    var fake = new CorpusRig(c.path("proxier"));
    var ns = new World().addHost("test-node").root();
    var iptables = new KernelIptables(ns.netfilter(), fake.options.family());
    var tracker = new ChangeTracker(fake.options.family(), "test-node");
    var proxier =
        new IptablesProxier(fake.options.withoutNfacct(), tracker, iptables, new VirtualClock());
    int steps = 0;
    for (JsonNode step : c.path("steps")) {
      String what = step.path("name").asText();
      for (JsonNode a : step.path("apply")) {
        switch (a.path("action").asText()) {
          case "add", "update" -> {
            JsonNode o = a.path("object");
            if (o.path("kind").asText().equals("Service")) {
              tracker.onService(
                  Corpus.YAML.convertValue(o, io.fabric8.kubernetes.api.model.Service.class));
            } else {
              tracker.onEndpointSlice(
                  Corpus.YAML.convertValue(
                      o, io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class));
            }
          }
          case "delete" ->
              tracker.onServiceDeleted(
                  a.path("object").path("metadata").path("namespace").asText(),
                  a.path("object").path("metadata").path("name").asText());
          case "inject-live-rule" -> {
            List<String> words = RuleWords.split(a.path("rule").asText());
            var args = new java.util.ArrayList<>(List.of("-t", a.path("table").asText()));
            args.addAll(words);
            assertThat(
                    dev.podpath.shell.iptables.Iptables.iptables(
                            ns.netfilter(), fake.options.family(), args)
                        .succeeded())
                .as(what)
                .isTrue();
          }
          default -> throw new IllegalStateException(a.path("action").asText());
        }
      }
      var r = proxier.sync();
      steps++;
      if (step.path("expected_outcome").path("restore_failed").asBoolean()) {
        assertThat(r.succeeded()).as(what).isFalse();
        assertThat(iptables.chains("nat")).as(what).contains("KUBE-SEP-AYCN5HPXMIRJNJXU");
        assertThat(proxier.needsFullSync()).as(what).isTrue();
        continue;
      }
      assertThat(r.succeeded()).as(what + ": " + r.error()).isTrue();
      String expected =
          step.path("expected_iptables_restore")
              .asText()
              .replace(" -m nfacct --nfacct-name ct_state_invalid_dropped_pkts", "")
              .replace("-j MASQUERADE\n", "-j MASQUERADE --random-fully\n");
      assertThat(RestoreNormalizer.normalize(r.restoreInput())).as(what).isEqualTo(expected);
    }
    assertThat(steps).isEqualTo(10);
    assertThat(iptables.chains("nat"))
        .doesNotContain("KUBE-SEP-AYCN5HPXMIRJNJXU", "KUBE-SVC-4SW47YFZTEDKD3PK");
  }
}
