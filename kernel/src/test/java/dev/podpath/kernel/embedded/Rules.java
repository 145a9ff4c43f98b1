package dev.podpath.kernel.embedded;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Protocol;
import java.util.Optional;

/**
 * Short hands for building iptables rules through netfilter's Java API in tests: the matches and
 * targets of the common rules, and {@code append} / {@code replace} that commit a table as {@code
 * iptables -A} would. The rule text given is what {@code iptables -S} prints for it.
 */
public final class Rules {

  private Rules() {}

  public static Match dst(String prefix) {
    return new Match.Destination(IpPrefix.parse(prefix), false);
  }

  public static Match src(String prefix) {
    return new Match.Source(IpPrefix.parse(prefix), false);
  }

  public static Match proto(Protocol p) {
    return new Match.Proto(p, false);
  }

  public static Match out(String dev) {
    return new Match.OutInterface(dev, false);
  }

  public static Match in(String dev) {
    return new Match.InInterface(dev, false);
  }

  /** {@code -m tcp --dport P}. */
  public static Match tcpDport(int port) {
    return new Match.Tcp(
        Optional.empty(), Optional.of(Negatable.of(PortRange.of(port))), Optional.empty());
  }

  /** {@code -m udp --dport P}. */
  public static Match udpDport(int port) {
    return new Match.Udp(Optional.empty(), Optional.of(Negatable.of(PortRange.of(port))));
  }

  public static Match mark(int value) {
    return new Match.Mark(value, 0xffffffff, false);
  }

  public static Match random(double p) {
    return Match.Statistic.random(p);
  }

  public static Target dnat(String address, int port) {
    return Target.Dnat.to(IpAddress.parse(address), port);
  }

  /**
   * {@code iptables -t TABLE -A CHAIN ...}: commits the table with the rule appended (creating a
   * user chain if new).
   */
  public static void append(
      NetNamespace ns,
      TableName table,
      String chain,
      String text,
      Target target,
      Match... matches) {
    var nf = ns.netfilter();
    var t = nf.table(IpFamily.IPV4, table);
    var c = t.chain(chain).orElseGet(() -> Chain.user(chain));
    nf.commit(t.withChain(c.append(Rule.of(text, target, matches))));
  }

  /** {@code iptables -t TABLE -F CHAIN}. */
  public static void flush(NetNamespace ns, TableName table, String chain) {
    var nf = ns.netfilter();
    var t = nf.table(IpFamily.IPV4, table);
    nf.commit(t.withChain(t.requireChain(chain).flushed()));
  }
}
