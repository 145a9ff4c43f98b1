package dev.podpath.kernel.netfilter;

import static dev.podpath.kernel.netfilter.Pk.syn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.AddressType;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A kube-proxy-shaped nat table (KUBE-SERVICES → KUBE-SVC-… → KUBE-SEP-…, two endpoints per service
 * chosen by {@code statistic}, KUBE-MARK-MASQ, KUBE-POSTROUTING): commits and answers at the scale
 * of thousands of services.
 */
class KubeShapedTableTest {

  static Table kubeNat(int services) {
    var chains = new ArrayList<Chain>();
    var svcRules = new ArrayList<Rule>();
    chains.add(
        Chain.user("KUBE-MARK-MASQ")
            .append(
                Rule.of("-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000", Target.Mark.orMark(0x4000))));
    chains.add(
        Chain.user("KUBE-POSTROUTING")
            .append(
                Rule.of(
                    "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
                    new Target.Return(),
                    new Match.Mark(0x4000, 0x4000, true)))
            .append(
                Rule.of(
                    "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000", Target.Mark.xorMark(0x4000)))
            .append(
                Rule.of(
                    "-A KUBE-POSTROUTING -j MASQUERADE --random-fully",
                    new Target.Masquerade(Optional.empty(), false, true))));
    chains.add(Chain.user("KUBE-NODEPORTS"));
    Match.Proto tcp = new Match.Proto(Protocol.TCP, false);
    for (int i = 0; i < services; i++) {
      Ipv4Address vip = new Ipv4Address(0x0a600000 + i); // 10.96.x.y
      String svc = "KUBE-SVC-" + String.format("%016X", i);
      svcRules.add(
          new Rule(
              List.of(
                  new Match.Destination(IpPrefix.host(vip), false),
                  tcp,
                  new Match.Comment("ns/svc" + i + ":http cluster IP"),
                  new Match.Tcp(
                      Optional.empty(),
                      Optional.of(Negatable.of(PortRange.of(80))),
                      Optional.empty())),
              new Target.Jump(svc),
              "-A KUBE-SERVICES -d " + vip + "/32 -p tcp -j " + svc,
              Counters.ZERO));
      Chain svcChain = Chain.user(svc);
      for (int e = 0; e < 2; e++) {
        Ipv4Address pod = new Ipv4Address(0x0af40000 + i * 2 + e);
        String sep = "KUBE-SEP-" + String.format("%015X%d", i, e);
        List<Match> m = e == 0 ? List.of(Match.Statistic.random(0.5)) : List.of();
        svcChain =
            svcChain.append(
                new Rule(m, new Target.Jump(sep), "-A " + svc + " -j " + sep, Counters.ZERO));
        chains.add(
            Chain.user(sep)
                .append(
                    Rule.of(
                        "-A " + sep + " -s " + pod + "/32 -j KUBE-MARK-MASQ",
                        new Target.Jump("KUBE-MARK-MASQ"),
                        new Match.Source(IpPrefix.host(pod), false)))
                .append(
                    new Rule(
                        List.of(tcp),
                        Target.Dnat.to(pod, 8080),
                        "-A " + sep + " -p tcp -j DNAT",
                        Counters.ZERO)));
      }
      chains.add(svcChain);
    }
    svcRules.add(
        Rule.of(
            "-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS",
            new Target.Jump("KUBE-NODEPORTS"),
            new Match.AddrType(
                Optional.empty(),
                Optional.of(Negatable.of(Set.of(AddressType.LOCAL))),
                false,
                false)));
    chains.add(Chain.user("KUBE-SERVICES").withRules(svcRules));
    Table t = Table.empty(IpFamily.IPV4, TableName.NAT);
    var all = new ArrayList<>(t.chains());
    all.set(
        0,
        all.get(0)
            .append(Rule.of("-A PREROUTING -j KUBE-SERVICES", new Target.Jump("KUBE-SERVICES"))));
    all.set(
        2,
        all.get(2).append(Rule.of("-A OUTPUT -j KUBE-SERVICES", new Target.Jump("KUBE-SERVICES"))));
    all.set(
        3,
        all.get(3)
            .append(
                Rule.of(
                    "-A POSTROUTING -j KUBE-POSTROUTING", new Target.Jump("KUBE-POSTROUTING"))));
    all.addAll(chains);
    return new Table(IpFamily.IPV4, TableName.NAT, all);
  }

  @Test
  void tenThousandServicesCommitAndTranslate() {
    Harness h = new Harness().address("eth0", "192.168.0.2/24").address("cni0", "10.244.0.1/24");
    int services = Integer.getInteger("kube.services", 10_000);
    Table nat = kubeNat(services);
    h.nf.commit(nat);
    assertThat(h.nf.table(IpFamily.IPV4, TableName.NAT).chains()).hasSize(4 + 3 + services * 3 + 1);
    // the last service, from a pod: DNATed to one of its two endpoints
    for (int i = 0; i < 100; i++) {
      var r =
          h.forward(
              syn(
                  "10.244.0.5",
                  10000 + i,
                  Ipv4Address.of(10, 96, (services - 1) >> 8, (services - 1) & 0xff).toString(),
                  80),
              "cni0",
              "eth0");
      assertThat(r.packet().dst())
          .isIn(
              new Ipv4Address(0x0af40000 + (services - 1) * 2),
              new Ipv4Address(0x0af40000 + (services - 1) * 2 + 1));
    }
  }
}
