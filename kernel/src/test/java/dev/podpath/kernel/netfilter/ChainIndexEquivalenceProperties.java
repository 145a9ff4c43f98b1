package dev.podpath.kernel.netfilter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.conntrack.ConntrackTable;
import dev.podpath.kernel.ipset.IpSets;
import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Match.StatisticMode;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.Policy;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.Hook;
import dev.podpath.kernel.path.PacketContext;
import dev.podpath.kernel.path.Verdict;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.SampledChooser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The destination address and port index changes no verdict: on random rulesets whose long chains
 * mix indexable rules ({@code -d ADDR/32}, {@code -m tcp --dport P}) with ones that are not
 * (prefixes, {@code !}, port ranges) and with matches that have side effects before or after the
 * port match ({@code statistic} nth and random, {@code nfacct}), a stream of packets walked through
 * the indexed table and through the same table walked rule by rule gives the same verdicts, the
 * same trace steps, the same marks, and leaves the same rule and chain counters, nth counters and
 * nfacct counters.
 */
class ChainIndexEquivalenceProperties {

  private static final int CHAINS = 3;
  private static final int[] PORTS = {53, 80, 443, 8080, 9};

  /** One namespace's worth of netfilter state walking one compiled table. */
  private static final class World {
    final FakeNamespace ns = new FakeNamespace();
    final NfAcct nfacct = new NfAcct();
    final CompiledTable table;
    final TableRunner runner;

    World(Table t, int indexFrom) {
      var matcher = new Matcher(new RecentLists(ns.clock), new IpSets(ns.clock), nfacct);
      nfacct.add("acct");
      table = new CompiledTable(t, matcher, indexFrom);
      runner = new TableRunner(new NatEngine(new ConntrackTable(ns)));
    }

    /** Verdict, steps and mark of one packet through FORWARD. */
    List<Object> send(Packet p, SampledChooser chooser, int mark) {
      var ctx = new PacketContext(ns, p, chooser);
      ctx.setMark(mark);
      Verdict v = runner.run(table, Hook.FORWARD, ctx);
      return List.of(v, List.copyOf(ctx.steps()), ctx.mark());
    }

    int keyed() {
      int n = 0;
      for (CompiledTable.CChain c : table.chains) {
        n += c.keyed();
      }
      return n;
    }
  }

  @Property(tries = 300)
  void theIndexedWalkIsTheLinearWalk(@ForAll long seed) {
    Table table = randomTable(seed);
    var indexed = new World(table, RuleIndex.INDEX_FROM);
    var linear = new World(table, Integer.MAX_VALUE);
    assertThat(indexed.keyed()).as("rules filed under an address or port").isPositive();
    assertThat(linear.keyed()).isZero();

    var rnd = new Random(seed ^ 0x5eed);
    var chooserA = new SampledChooser(seed);
    var chooserB = new SampledChooser(seed);
    for (int i = 0; i < 40; i++) {
      Packet p = randomPacket(rnd, i);
      int mark = rnd.nextInt(2);
      assertThat(indexed.send(p, chooserA, mark))
          .as("packet %d: %s", i, p)
          .isEqualTo(linear.send(p, chooserB, mark));
    }
    assertThat(indexed.table.snapshot()).isEqualTo(linear.table.snapshot());
    assertThat(indexed.table.saveState()).isEqualTo(linear.table.saveState());
    assertThat(indexed.nfacct.list()).isEqualTo(linear.nfacct.list());
  }

  static Packet randomPacket(Random rnd, int i) {
    var src = new Ipv4Address(0x0b000001);
    var dst = new Ipv4Address(0x0a000000 + rnd.nextInt(8));
    int port = PORTS[rnd.nextInt(PORTS.length)];
    return switch (rnd.nextInt(5)) {
      case 0 -> Packet.echoRequest(src, dst, i);
      case 1, 2 -> Packet.udp(src, 1000 + i, dst, port);
      default -> Packet.tcpSyn(src, 1000 + i, dst, port);
    };
  }

  /** FORWARD and C1..C3, 20 to 80 rules each; jumps and gotos only forward (no loops). */
  static Table randomTable(long seed) {
    var rnd = new Random(seed);
    Table t = Table.empty(dev.podpath.net.IpFamily.IPV4, TableName.FILTER);
    for (int c = 0; c <= CHAINS; c++) {
      String name = c == 0 ? "FORWARD" : "C" + c;
      int n = c == 0 ? 40 + rnd.nextInt(40) : 20 + rnd.nextInt(60);
      var rules = new ArrayList<Rule>();
      for (int i = 0; i < n; i++) {
        rules.add(new Rule(matches(rnd), target(rnd, c), name + " rule " + (i + 1), Counters.ZERO));
      }
      t =
          t.withChain(
              c == 0
                  ? new Chain(
                      name,
                      Optional.of(rnd.nextBoolean() ? Policy.ACCEPT : Policy.DROP),
                      Counters.ZERO,
                      rules)
                  : Chain.user(name).withRules(rules));
    }
    return t;
  }

  private static List<Match> matches(Random rnd) {
    var own = new ArrayList<Match>();
    if (rnd.nextInt(10) < 7) {
      int len = rnd.nextInt(5) == 0 ? 30 : 32;
      own.add(
          new Match.Destination(
              IpPrefix.of(new Ipv4Address(0x0a000000 + rnd.nextInt(8)), len), rnd.nextInt(7) == 0));
    }
    Protocol proto =
        switch (rnd.nextInt(5)) {
          case 0 -> null;
          case 1 -> Protocol.UDP;
          case 2 -> Protocol.ICMP;
          default -> Protocol.TCP;
        };
    var ext = new ArrayList<Match>();
    if (proto != null) {
      boolean ports = proto != Protocol.ICMP && rnd.nextInt(4) != 0;
      own.add(new Match.Proto(proto, !ports && rnd.nextInt(6) == 0));
      if (ports) {
        Optional<Negatable<PortRange>> dport = Optional.of(dport(rnd));
        Optional<Negatable<PortRange>> sport =
            rnd.nextInt(6) == 0
                ? Optional.of(Negatable.of(new PortRange(1000, 1020)))
                : Optional.empty();
        ext.add(
            proto == Protocol.TCP
                ? new Match.Tcp(sport, dport, Optional.empty())
                : new Match.Udp(sport, dport));
      }
    }
    int extra = rnd.nextInt(3);
    for (int k = 0; k < extra; k++) {
      ext.add(
          switch (rnd.nextInt(6)) {
            case 0 -> new Match.Statistic(StatisticMode.NTH, 0, 2 + rnd.nextInt(2), 0, false);
            case 1 -> new Match.Statistic(StatisticMode.RANDOM, 0.5, 0, 0, false);
            case 2 -> new Match.Nfacct("acct");
            case 3 -> new Match.Mark(rnd.nextInt(2), 1, rnd.nextBoolean());
            default -> new Match.Comment("c" + k);
          });
    }
    Collections.shuffle(ext, rnd);
    Collections.shuffle(own, rnd);
    var all = new ArrayList<Match>(own);
    all.addAll(ext);
    // the model keeps the written order; own fields may come after extensions on a command line
    if (rnd.nextBoolean()) {
      Collections.rotate(all, rnd.nextInt(all.size() + 1));
    }
    return all;
  }

  private static Negatable<PortRange> dport(Random rnd) {
    int port = PORTS[rnd.nextInt(PORTS.length)];
    return switch (rnd.nextInt(8)) {
      case 0 -> Negatable.not(PortRange.of(port));
      case 1 -> Negatable.of(new PortRange(50, 100));
      default -> Negatable.of(PortRange.of(port));
    };
  }

  private static Target target(Random rnd, int chain) {
    int pick = rnd.nextInt(chain < CHAINS ? 9 : 6);
    return switch (pick) {
      case 0 -> new Target.Accept();
      case 1 -> new Target.Drop();
      case 2 -> new Target.Return();
      case 3, 4 -> new Target.None();
      case 5 -> Target.Mark.xorMark(1);
      case 6, 7 -> new Target.Jump("C" + (chain + 1 + rnd.nextInt(CHAINS - chain)));
      default -> new Target.Goto("C" + (chain + 1 + rnd.nextInt(CHAINS - chain)));
    };
  }
}
