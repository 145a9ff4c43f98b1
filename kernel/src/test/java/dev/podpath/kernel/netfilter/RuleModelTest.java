package dev.podpath.kernel.netfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Policy;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.RulesetException;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.HookTable;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Protocol;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleModelTest {

  private final Netfilter nf = new Netfilter(new FakeNamespace(), new HookTable());

  @Test
  void aFreshNamespaceHasEveryTableEmptyWithPolicyAccept() {
    Table nat = nf.table(IpFamily.IPV4, TableName.NAT);
    assertThat(nat.chains())
        .extracting(Chain::name)
        .containsExactly("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING");
    assertThat(nat.chains())
        .allMatch(c -> c.policy().equals(Optional.of(Policy.ACCEPT)) && c.rules().isEmpty());
    assertThat(nf.table(IpFamily.IPV6, TableName.RAW).chains())
        .extracting(Chain::name)
        .containsExactly("PREROUTING", "OUTPUT");
  }

  @Test
  void userChainsListAfterTheBuiltinsSortedByNameAsIptablesSavePrintsThem() {
    // seen with iptables v1.8.9 (nf_tables): -N ZZZ; -N AAA; -N MMM lists AAA, MMM, ZZZ
    Table t =
        Table.empty(IpFamily.IPV4, TableName.FILTER)
            .withChain(Chain.user("ZZZ"))
            .withChain(Chain.user("AAA"))
            .withChain(Chain.user("MMM"));
    assertThat(t.chains())
        .extracting(Chain::name)
        .containsExactly("INPUT", "FORWARD", "OUTPUT", "AAA", "MMM", "ZZZ");
  }

  @Test
  void commitReplacesTheWholeTable() {
    Table t =
        Table.empty(IpFamily.IPV4, TableName.FILTER)
            .withChain(
                Chain.user("KUBE-FIREWALL")
                    .append(Rule.of("-A KUBE-FIREWALL -j DROP", new Target.Drop())));
    t =
        t.withChain(
            t.requireChain("INPUT")
                .append(Rule.of("-A INPUT -j KUBE-FIREWALL", new Target.Jump("KUBE-FIREWALL")))
                .withPolicy(Policy.DROP));
    nf.commit(t);
    assertThat(nf.table(IpFamily.IPV4, TableName.FILTER)).isEqualTo(t);
    assertThat(nf.table(IpFamily.IPV4, TableName.FILTER).references("KUBE-FIREWALL")).isEqualTo(1);
  }

  @Test
  void aRefusedTableLeavesTheOldOneInPlace() {
    Table good = Table.empty(IpFamily.IPV4, TableName.FILTER);
    good =
        good.withChain(
            good.requireChain("INPUT").append(Rule.of("-A INPUT -j ACCEPT", new Target.Accept())));
    nf.commit(good);
    Table bad =
        good.withChain(
            good.requireChain("INPUT")
                .append(Rule.of("-A INPUT -j MISSING", new Target.Jump("MISSING"))));
    assertThatThrownBy(() -> nf.commit(bad))
        .isInstanceOf(RulesetException.class)
        .hasMessageContaining("MISSING");
    assertThat(nf.table(IpFamily.IPV4, TableName.FILTER)).isEqualTo(good);
  }

  @Test
  void loopsOfJumpsAreRefused() {
    Table t =
        Table.empty(IpFamily.IPV4, TableName.FILTER)
            .withChain(Chain.user("A").append(Rule.of("-A A -j B", new Target.Jump("B"))))
            .withChain(Chain.user("B").append(Rule.of("-A B -j A", new Target.Jump("A"))));
    Table looped =
        t.withChain(t.requireChain("INPUT").append(Rule.of("-A INPUT -j A", new Target.Jump("A"))));
    assertThatThrownBy(() -> nf.commit(looped))
        .isInstanceOf(RulesetException.class)
        .hasMessageContaining("loop");
  }

  @Test
  void natTargetsAreRefusedOutsideTheirHooks() {
    Table t = Table.empty(IpFamily.IPV4, TableName.NAT);
    Rule dnat =
        new Rule(
            List.of(new Match.Proto(Protocol.TCP, false)),
            Target.Dnat.to(Ipv4Address.parse("10.0.0.1"), 80),
            "-A X -p tcp -j DNAT --to-destination 10.0.0.1:80",
            dev.podpath.kernel.netfilter.rule.Counters.ZERO);
    Table viaUser = t.withChain(Chain.user("X").append(dnat));
    Table bad =
        viaUser.withChain(
            viaUser
                .requireChain("POSTROUTING")
                .append(Rule.of("-A POSTROUTING -j X", new Target.Jump("X"))));
    assertThatThrownBy(() -> nf.commit(bad))
        .isInstanceOf(RulesetException.class)
        .hasMessageContaining("DNAT")
        .hasMessageContaining("POSTROUTING");
    Table good =
        viaUser.withChain(
            viaUser
                .requireChain("PREROUTING")
                .append(Rule.of("-A PREROUTING -j X", new Target.Jump("X"))));
    nf.commit(good);
    Table inFilter = Table.empty(IpFamily.IPV4, TableName.FILTER);
    Table bad2 = inFilter.withChain(inFilter.requireChain("INPUT").append(dnat));
    assertThatThrownBy(() -> nf.commit(bad2)).hasMessageContaining("not valid in the filter table");
  }

  @Test
  void addressesOfTheOtherFamilyAreRefused() {
    Table t = Table.empty(IpFamily.IPV6, TableName.FILTER);
    Table bad =
        t.withChain(
            t.requireChain("INPUT")
                .append(
                    Rule.of(
                        "-A INPUT -s 10.0.0.0/8 -j DROP",
                        new Target.Drop(),
                        new Match.Source(IpPrefix.parse("10.0.0.0/8"), false))));
    assertThatThrownBy(() -> nf.commit(bad)).isInstanceOf(RulesetException.class);
  }

  @Test
  void markTargetSpellingsAreOneXmark() {
    // --set-xmark V/M: clear M's bits, then XOR V
    assertThat(Target.Mark.setXmark(0x4000, 0x0).apply(0x4000)).isEqualTo(0);
    assertThat(Target.Mark.setXmark(0x4000, 0x0).apply(0)).isEqualTo(0x4000);
    assertThat(Target.Mark.setMark(0x4000)).isEqualTo(new Target.Mark(0x4000, 0xffffffff));
    assertThat(Target.Mark.orMark(0x4000).apply(0x1)).isEqualTo(0x4001);
    assertThat(Target.Mark.andMark(0x4000).apply(0x4001)).isEqualTo(0x4000);
    assertThat(Target.Mark.xorMark(0x4000).apply(0x4001)).isEqualTo(0x1);
  }

  @Test
  void zeroingCountersKeepsTheRules() {
    Table t = Table.empty(IpFamily.IPV4, TableName.FILTER);
    t =
        t.withChain(
            t.requireChain("INPUT")
                .append(
                    Rule.of("-A INPUT -j ACCEPT", new Target.Accept())
                        .withCounters(new dev.podpath.kernel.netfilter.rule.Counters(5, 300))));
    nf.commit(t);
    nf.zeroCounters(IpFamily.IPV4, TableName.FILTER, Optional.empty());
    assertThat(nf.table(IpFamily.IPV4, TableName.FILTER)).isEqualTo(t.zeroed());
  }
}
