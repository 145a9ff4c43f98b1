package dev.podpath.kernel.netfilter;

import static dev.podpath.kernel.netfilter.Pk.ip;
import static dev.podpath.kernel.netfilter.Pk.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.ipset.Element;
import dev.podpath.kernel.ipset.SetSpec;
import dev.podpath.kernel.ipset.SetType;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.Exploration;
import dev.podpath.net.IpFamily;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code snapshot()} puts back everything a walk (or a commit) changed. */
class SnapshotTest {

  @Test
  void restoringUndoesCountersConntrackRecentSetsNfacctAndCommits() {
    Harness h = NatTest.router();
    h.nf.ipSets().create(SetSpec.hash("seen", SetType.HASH_IP, IpFamily.IPV4), false);
    h.append(
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD -m recent --set --name R -m nfacct --nfacct-name acct",
        new Target.None(),
        new Match.Recent(
            "R",
            Match.RecentCommand.SET,
            Optional.empty(),
            false,
            Optional.empty(),
            false,
            Match.RecentSide.SOURCE,
            ip("255.255.255.255"),
            false),
        new Match.Nfacct("acct"));
    Table filterBefore = h.nf.table(IpFamily.IPV4, TableName.FILTER);
    Table natBefore = h.nf.table(IpFamily.IPV4, TableName.NAT);
    Runnable restore = h.nf.snapshot();

    h.forward(udp("10.1.0.2", 1, "10.1.0.1", 5353), "rc", "rs");
    h.nf.ipSets().add("seen", new Element.Ip(ip("10.1.0.2")), Optional.empty(), false);
    h.nf.commit(Table.empty(IpFamily.IPV4, TableName.NAT));
    assertThat(h.nf.conntrack().list()).hasSize(1);
    assertThat(h.nf.recentList("R")).hasSize(1);
    assertThat(h.nf.nfacct().list()).containsKey("acct");

    restore.run();
    assertThat(h.nf.table(IpFamily.IPV4, TableName.FILTER)).isEqualTo(filterBefore);
    assertThat(h.nf.table(IpFamily.IPV4, TableName.NAT)).isEqualTo(natBefore);
    assertThat(h.nf.conntrack().list()).isEmpty();
    assertThat(h.nf.recentList("R")).isEmpty();
    assertThat(h.nf.ipSets().list("seen").orElseThrow().members()).isEmpty();
    assertThat(h.nf.nfacct().list()).doesNotContainKey("acct");
  }

  @Test
  void everyBranchOfAnExplorationStartsFromTheSameState() {
    Harness h = new Harness().address("rs", "10.2.0.1/24");
    h.append(
        TableName.NAT,
        "OUTPUT",
        "-A OUTPUT -m statistic --mode random --probability 0.25 -j DNAT --to-destination 10.9.0.1",
        new Target.Dnat(
            new Target.NatRange(
                Optional.of(ip("10.9.0.1")), Optional.of(ip("10.9.0.1")), Optional.empty()),
            false,
            false),
        Match.Statistic.random(0.25));
    h.append(
        TableName.NAT,
        "OUTPUT",
        "-A OUTPUT -j DNAT --to-destination 10.9.0.2",
        new Target.Dnat(
            new Target.NatRange(
                Optional.of(ip("10.9.0.2")), Optional.of(ip("10.9.0.2")), Optional.empty()),
            false,
            false));
    var restore = h.nf.snapshot();
    var branches =
        Exploration.explore(
            ch -> {
              restore.run();
              return h.send(
                      Harness.Path.LOCAL_OUT,
                      udp("10.2.0.1", 1, "10.2.0.2", 53),
                      Optional.empty(),
                      Optional.of("rs"),
                      ch)
                  .packet()
                  .dst()
                  .toString();
            },
            10);
    assertThat(branches)
        .extracting(Exploration.Branch::result)
        .containsExactly("10.9.0.1", "10.9.0.2");
    assertThat(branches).extracting(Exploration.Branch::probability).containsExactly(0.25, 0.75);
  }
}
