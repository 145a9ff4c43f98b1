package dev.podpath.kernel.netfilter;

import static dev.podpath.kernel.netfilter.Pk.ip;
import static dev.podpath.kernel.netfilter.Pk.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpFamily;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code -m recent}, as kube-proxy's ClientIP affinity uses it, checked on Linux 6.18 with UDP
 * packets sent from the namespace and {@code iptables -L -v}:
 *
 * <pre>
 * -A OUTPUT -p udp -m udp --dport 20 -m recent --rcheck --seconds 3 --reap --name AFF --mask 255.255.255.255 --rsource
 * -A OUTPUT -p udp -m udp --dport 20 -m recent --set --name AFF --mask 255.255.255.255 --rsource
 * </pre>
 *
 * counted 0/1, then 1/2, then (4 s later) 1/3; {@code /proc/net/xt_recent/AFF} then held the
 * address with a single timestamp ({@code oldest_pkt: 1}): the stale entry had been reaped.
 */
class RecentTest {

  private final Harness h = new Harness().address("rs", "10.2.0.1/24");

  private Match.Recent recent(Match.RecentCommand cmd, Optional<Long> seconds, boolean reap) {
    return new Match.Recent(
        "AFF",
        cmd,
        seconds,
        reap,
        Optional.empty(),
        false,
        Match.RecentSide.SOURCE,
        ip("255.255.255.255"),
        false);
  }

  private void rules() {
    h.append(
        TableName.FILTER,
        "OUTPUT",
        "-A OUTPUT -m recent --rcheck --seconds 3 --reap --name AFF",
        new Target.None(),
        recent(Match.RecentCommand.RCHECK, Optional.of(3L), true));
    h.append(
        TableName.FILTER,
        "OUTPUT",
        "-A OUTPUT -m recent --set --name AFF",
        new Target.None(),
        recent(Match.RecentCommand.SET, Optional.empty(), false));
  }

  private String counts() {
    var rules = h.nf.table(IpFamily.IPV4, TableName.FILTER).requireChain("OUTPUT").rules();
    return rules.get(0).counters().packets() + " " + rules.get(1).counters().packets();
  }

  private void send() {
    h.localOut(udp("10.2.0.1", 1000, "10.2.0.2", 20), "rs");
  }

  @Test
  void rcheckSeesAnAddressSetWithinTheWindowAndReapsAStaleOne() {
    rules();
    send();
    assertThat(counts()).isEqualTo("0 1");
    send();
    assertThat(counts()).isEqualTo("1 2");
    h.ns.clock.advance(Duration.ofSeconds(4));
    send();
    assertThat(counts()).isEqualTo("1 3");
    assertThat(h.nf.recentList("AFF")).containsOnlyKeys(ip("10.2.0.1"));
  }

  @Test
  void aListSurvivesAReplaceThatKeepsItsNameAndGoesWithTheLastRuleNamingIt() {
    rules();
    send();
    h.nf.commit(h.nf.table(IpFamily.IPV4, TableName.FILTER)); // iptables-restore of the same rules
    assertThat(h.nf.recentList("AFF")).hasSize(1);
    h.nf.commit(Table.empty(IpFamily.IPV4, TableName.FILTER));
    assertThat(h.nf.recentList("AFF")).isEmpty();
  }

  @Test
  void updateRefreshesOnlyWhenItMatches() {
    h.append(
        TableName.FILTER,
        "OUTPUT",
        "-A OUTPUT -m recent --update --seconds 10 --name AFF -j ACCEPT",
        new Target.Accept(),
        recent(Match.RecentCommand.UPDATE, Optional.of(10L), false));
    h.append(
        TableName.FILTER,
        "OUTPUT",
        "-A OUTPUT -m recent --set --name AFF",
        new Target.None(),
        recent(Match.RecentCommand.SET, Optional.empty(), false));
    send();
    h.ns.clock.advance(Duration.ofSeconds(8));
    send(); // update hits and refreshes
    h.ns.clock.advance(Duration.ofSeconds(8));
    send(); // still within 10 s of the refresh
    var rules = h.nf.table(IpFamily.IPV4, TableName.FILTER).requireChain("OUTPUT").rules();
    assertThat(rules.get(0).counters().packets()).isEqualTo(2);
    assertThat(rules.get(1).counters().packets()).isEqualTo(1);
  }
}
