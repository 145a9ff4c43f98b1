package dev.podpath.kernel.netfilter;

import static dev.podpath.kernel.netfilter.Pk.ip;
import static dev.podpath.kernel.netfilter.Pk.replyTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Packet;
import org.junit.jupiter.api.Test;

/**
 * ip6tables: the IPv6 tables are separate from the IPv4 ones. Checked on Linux 6.18: with {@code
 * ip6tables -t nat -A POSTROUTING -o rs -j MASQUERADE} in the router, an echo request from fd01::2
 * to fd02::2 was answered and {@code conntrack -L -f ipv6} showed {@code icmpv6 58 29 src=fd01::2
 * dst=fd02::2 type=128 code=0 id=99 src=fd02::2 dst=fd02::1 type=129 code=0 id=99 mark=0 use=1}.
 */
class Ipv6Test {

  @Test
  void masqueradeOfAnIcmpv6EchoAndItsReply() {
    Harness h = new Harness().address("rc", "fd01::1/64").address("rs", "fd02::1/64");
    Table nat = Table.empty(IpFamily.IPV6, TableName.NAT);
    h.nf.commit(
        nat.withChain(
            nat.requireChain("POSTROUTING")
                .append(
                    Rule.of(
                        "-A POSTROUTING -o rs -j MASQUERADE",
                        Target.Masquerade.plain(),
                        new Match.OutInterface("rs", false)))));
    Packet echo = Packet.echoRequest(ip("fd01::2"), ip("fd02::2"), 99);
    var out = h.forward(echo, "rc", "rs");
    assertThat(out.packet().src()).isEqualTo(ip("fd02::1"));
    var reply = replyTo(out.packet()).toBuilder().icmpType(129).build();
    var back = h.forward(reply, "rs", "rc");
    assertThat(back.packet().dst()).isEqualTo(ip("fd01::2"));
    assertThat(h.nf.conntrack().list().get(0).toString())
        .isEqualTo(
            "icmpv6   58 30 src=fd01::2 dst=fd02::2 "
                + "type=128 code=0 id=99 src=fd02::2 dst=fd02::1 type=129 code=0 id=99 mark=0 use=1");
    assertThat(h.nf.table(IpFamily.IPV4, TableName.NAT).requireChain("POSTROUTING").rules())
        .isEmpty();
  }

  @Test
  void theIcmpMatchBelongsToIpv4AndIcmp6ToIpv6() {
    Harness h = new Harness();
    Table f = Table.empty(IpFamily.IPV6, TableName.FILTER);
    Chain input = f.requireChain("INPUT");
    Rule icmp =
        new Rule(
            java.util.List.of(
                new Match.Proto(dev.podpath.net.Protocol.ICMP, false),
                new Match.Icmp(java.util.Optional.empty())),
            new Target.Accept(),
            "-A INPUT -p icmp -m icmp -j ACCEPT",
            dev.podpath.kernel.netfilter.rule.Counters.ZERO);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> h.nf.commit(f.withChain(input.append(icmp))))
        .hasMessageContaining("IPv4 only");
    Rule icmp6 =
        new Rule(
            java.util.List.of(
                new Match.Proto(dev.podpath.net.Protocol.ICMPV6, false),
                new Match.Icmp6(
                    java.util.Optional.of(
                        dev.podpath.kernel.netfilter.rule.Negatable.of(Match.IcmpType.of(128))))),
            new Target.Accept(),
            "-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT",
            dev.podpath.kernel.netfilter.rule.Counters.ZERO);
    h.nf.commit(f.withChain(input.append(icmp6)));
    var r = h.localIn(Packet.echoRequest(ip("fd01::2"), ip("fd01::1"), 1), "eth0");
    assertThat(r.rules()).extracting(s -> s.verdict()).containsExactly("ACCEPT");
  }
}
