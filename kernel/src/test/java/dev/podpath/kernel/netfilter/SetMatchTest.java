package dev.podpath.kernel.netfilter;

import static dev.podpath.kernel.netfilter.Pk.ip;
import static dev.podpath.kernel.netfilter.Pk.syn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.kernel.ipset.Element;
import dev.podpath.kernel.ipset.IpSetException;
import dev.podpath.kernel.ipset.SetSpec;
import dev.podpath.kernel.ipset.SetType;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.RulesetException;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpFamily;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code -m set}: real iptables refused a rule naming a missing set ("Set nf-none doesn't exist.")
 * and ipset refused to destroy a set a rule used.
 */
class SetMatchTest {

  private final Harness h = new Harness().address("rc", "10.1.0.1/24").address("rs", "10.2.0.1/24");

  @Test
  void aRuleNeedsItsSetAndTheSetCannotGoWhileUsed() {
    assertThatThrownBy(
            () ->
                h.append(
                    TableName.FILTER,
                    "FORWARD",
                    "-A FORWARD -m set --match-set nf-none src -j DROP",
                    new Target.Drop(),
                    new Match.IpSet("nf-none", List.of(Match.SetDirection.SRC), false)))
        .isInstanceOf(RulesetException.class)
        .hasMessageContaining("Set nf-none doesn't exist.");
    h.nf.ipSets().create(SetSpec.hash("blocked", SetType.HASH_IP, IpFamily.IPV4), false);
    h.nf.ipSets().add("blocked", new Element.Ip(ip("10.1.0.2")), Optional.empty(), false);
    h.append(
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD -m set --match-set blocked src -j DROP",
        new Target.Drop(),
        new Match.IpSet("blocked", List.of(Match.SetDirection.SRC), false));
    assertThat(h.forward(syn("10.1.0.2", 1, "10.2.0.2", 80), "rc", "rs").accepted()).isFalse();
    assertThat(h.forward(syn("10.1.0.3", 1, "10.2.0.2", 80), "rc", "rs").accepted()).isTrue();
    assertThat(h.nf.ipSets().list("blocked").orElseThrow().references()).isEqualTo(1);
    assertThatThrownBy(() -> h.nf.ipSets().destroy("blocked")).isInstanceOf(IpSetException.class);
    h.nf.ipSets().delete("blocked", new Element.Ip(ip("10.1.0.2")), false);
    assertThat(h.forward(syn("10.1.0.2", 2, "10.2.0.2", 80), "rc", "rs").accepted()).isTrue();
  }
}
