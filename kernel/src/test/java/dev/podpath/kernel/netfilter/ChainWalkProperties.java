package dev.podpath.kernel.netfilter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Policy;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.Verdict;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Packet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The chain walk (an explicit stack, a destination index on long chains, own fields first) agrees
 * with a plain recursive reading of iptables semantics on random acyclic rulesets.
 */
class ChainWalkProperties {

  private static final int CHAINS = 4;

  /** Random rules over -d 10.0.0.0..7 (host and /30 prefixes, some inverted) and jumps forward. */
  static Table randomTable(long seed, int rulesPerChain) {
    var rnd = new Random(seed);
    var chains = new ArrayList<Chain>();
    for (int c = 0; c <= CHAINS; c++) {
      String name = c == 0 ? "FORWARD" : "C" + c;
      var rules = new ArrayList<Rule>();
      for (int i = 0; i < rulesPerChain; i++) {
        var matches = new ArrayList<Match>();
        if (rnd.nextInt(4) != 0) {
          int len = rnd.nextBoolean() ? 32 : 30;
          matches.add(
              new Match.Destination(
                  IpPrefix.of(new Ipv4Address(0x0a000000 + rnd.nextInt(8)), len),
                  rnd.nextInt(5) == 0));
        }
        if (rnd.nextInt(3) == 0) {
          matches.add(new Match.Mark(rnd.nextInt(2), 1, false));
        }
        Target t =
            switch (rnd.nextInt(c < CHAINS ? 8 : 5)) {
              case 0 -> new Target.Accept();
              case 1 -> new Target.Drop();
              case 2 -> new Target.Return();
              case 3 -> new Target.None();
              case 4 -> Target.Mark.xorMark(1);
              case 5, 6 -> new Target.Jump("C" + (c + 1 + rnd.nextInt(CHAINS - c)));
              default -> new Target.Goto("C" + (c + 1 + rnd.nextInt(CHAINS - c)));
            };
        rules.add(new Rule(matches, t, name + " " + (i + 1), Counters.ZERO));
      }
      chains.add(
          c == 0
              ? new Chain(
                  name,
                  Optional.of(rnd.nextBoolean() ? Policy.ACCEPT : Policy.DROP),
                  Counters.ZERO,
                  rules)
              : Chain.user(name).withRules(rules));
    }
    Table t = Table.empty(IpFamily.IPV4, TableName.FILTER);
    for (Chain c : chains) {
      t = t.withChain(c);
    }
    return t;
  }

  /** The reference: recursion, every rule tried in order, matches in their given order. */
  static final class Reference {
    final Table table;
    int mark;

    Reference(Table table, int mark) {
      this.table = table;
      this.mark = mark;
    }

    /** ACCEPT, DROP, or null when the chain ends or RETURNs (the caller goes on). */
    String run(String chain, Packet p) {
      for (Rule r : table.requireChain(chain).rules()) {
        boolean all =
            r.matches().stream()
                .allMatch(
                    m ->
                        switch (m) {
                          case Match.Destination d -> d.prefix().contains(p.dst()) != d.inverted();
                          case Match.Mark mk -> mk.matches(mark);
                          default -> throw new IllegalStateException();
                        });
        if (!all) {
          continue;
        }
        switch (r.target()) {
          case Target.Accept a -> {
            return "ACCEPT";
          }
          case Target.Drop d -> {
            return "DROP";
          }
          case Target.Return x -> {
            return null;
          }
          case Target.Mark m -> mark = m.apply(mark);
          case Target.Jump j -> {
            String v = run(j.chain(), p);
            if (v != null) {
              return v;
            }
          }
          case Target.Goto g -> {
            return run(g.chain(), p);
          }
          default -> {}
        }
      }
      return null;
    }
  }

  @Property(tries = 200)
  void theWalkAgreesWithTheReference(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 40) int rules,
      @ForAll @IntRange(min = 0, max = 9) int host,
      @ForAll @IntRange(min = 0, max = 1) int mark) {
    Table table = randomTable(seed, rules);
    Harness h = new Harness();
    h.nf.commit(table);
    Packet p =
        Packet.udp(new Ipv4Address(0x0b000001), 1000, new Ipv4Address(0x0a000000 + host), 53);
    var ref = new Reference(table, mark);
    String expected = ref.run("FORWARD", p);
    if (expected == null) {
      expected = table.requireChain("FORWARD").policy().orElseThrow().name();
    }
    var ctx = new dev.podpath.kernel.path.PacketContext(h.ns, p, h.chooser);
    ctx.setMark(mark);
    Verdict v = h.hooks.run(dev.podpath.kernel.path.Hook.FORWARD, ctx);
    assertThat(v instanceof Verdict.Accept ? "ACCEPT" : "DROP").isEqualTo(expected);
    assertThat(ctx.mark()).isEqualTo(ref.mark);
  }

  @Property(tries = 50)
  void everyPacketIsCountedOnceByAVerdictOrAPolicy(@ForAll long seed) {
    Table table = randomTable(seed, 36);
    Harness h = new Harness();
    h.nf.commit(table);
    int n = 20;
    for (int i = 0; i < n; i++) {
      var ctx =
          new dev.podpath.kernel.path.PacketContext(
              h.ns,
              Packet.udp(
                  new Ipv4Address(0x0b000001), 1000 + i, new Ipv4Address(0x0a000000 + i % 10), 53),
              h.chooser);
      h.hooks.run(dev.podpath.kernel.path.Hook.FORWARD, ctx);
    }
    Table after = h.nf.table(IpFamily.IPV4, TableName.FILTER);
    long decided = after.requireChain("FORWARD").counters().packets();
    for (Chain c : after.chains()) {
      for (Rule r : c.rules()) {
        if (r.target() instanceof Target.Accept || r.target() instanceof Target.Drop) {
          decided += r.counters().packets();
        }
      }
    }
    assertThat(decided).isEqualTo(n);
    assertThat(List.of(after.chains().size())).containsExactly(CHAINS + 3);
  }
}
