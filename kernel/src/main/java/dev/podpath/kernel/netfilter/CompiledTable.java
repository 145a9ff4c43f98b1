package dev.podpath.kernel.netfilter;

import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Policy;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A table as the kernel holds it after a replace: chains resolved to indexes, and the mutable parts
 * (counters, {@code statistic --mode nth} counters) beside the immutable rules.
 */
final class CompiledTable {

  /** One rule with its jump resolved and its counters. */
  static final class CRule {
    final Rule rule;
    final Matcher.Compiled[] matches;
    final int jump; // chain index for -j/-g CHAIN, else -1
    long packets;
    long bytes;
    int nth; // the statistic nth counter, shared by the rule

    CRule(Rule rule, int jump, Matcher.Compiled[] matches) {
      this.rule = rule;
      this.matches = matches;
      this.jump = jump;
      this.packets = rule.counters().packets();
      this.bytes = rule.counters().bytes();
    }
  }

  /**
   * One chain. A long chain keeps an index by destination address: rules with {@code -d ADDR/32}
   * (or /128) are candidates only for packets to that address, the others for every packet. The
   * rule's own fields are checked before its extensions (as {@code ip_packet_match} does), so
   * skipping a rule whose {@code -d} cannot match changes nothing but the time taken.
   */
  static final class CChain {
    static final int INDEX_FROM = 32;

    final String name;
    final Optional<Policy> policy;
    final CRule[] rules;
    long packets;
    long bytes;
    private final int @Nullable [] others;
    private final @Nullable Map<IpAddress, int[]> byDestination;

    CChain(String name, Optional<Policy> policy, CRule[] rules, Counters c) {
      this.name = name;
      this.policy = policy;
      this.rules = rules;
      this.packets = c.packets();
      this.bytes = c.bytes();
      if (rules.length < INDEX_FROM) {
        others = null;
        byDestination = null;
        return;
      }
      var rest = new ArrayList<Integer>();
      var keyed = new HashMap<IpAddress, List<Integer>>();
      for (int i = 0; i < rules.length; i++) {
        Optional<IpAddress> key = destinationKey(rules[i].rule);
        if (key.isPresent()) {
          keyed.computeIfAbsent(key.get(), k -> new ArrayList<>()).add(i);
        } else {
          rest.add(i);
        }
      }
      others = rest.stream().mapToInt(Integer::intValue).toArray();
      byDestination = new HashMap<>();
      keyed.forEach(
          (k, v) -> {
            var merged = new ArrayList<>(v);
            merged.addAll(rest);
            byDestination.put(k, merged.stream().mapToInt(Integer::intValue).sorted().toArray());
          });
    }

    /**
     * The index of the first rule at or after {@code from} that may match a packet to {@code dst}.
     */
    int next(int from, IpAddress dst) {
      if (byDestination == null || others == null) {
        return from;
      }
      int[] candidates = byDestination.getOrDefault(dst, others);
      int pos = Arrays.binarySearch(candidates, from);
      if (pos < 0) {
        pos = -pos - 1;
      }
      return pos < candidates.length ? candidates[pos] : rules.length;
    }

    private static Optional<IpAddress> destinationKey(Rule r) {
      for (Match m : r.matches()) {
        if (m instanceof Match.Destination d && !d.inverted() && d.prefix().isHost()) {
          return Optional.of(d.prefix().address());
        }
      }
      return Optional.empty();
    }
  }

  final Table shape;
  final CChain[] chains;
  final Map<String, Integer> index = new HashMap<>();

  CompiledTable(Table table, Matcher matcher) {
    this.shape = table;
    var cs = table.chains();
    for (int i = 0; i < cs.size(); i++) {
      index.put(cs.get(i).name(), i);
    }
    chains = new CChain[cs.size()];
    for (int i = 0; i < cs.size(); i++) {
      Chain c = cs.get(i);
      CRule[] rs = new CRule[c.rules().size()];
      for (int j = 0; j < rs.length; j++) {
        Rule r = c.rules().get(j);
        int jump =
            switch (r.target()) {
              case Target.Jump jp -> index.get(jp.chain());
              case Target.Goto g -> index.get(g.chain());
              default -> -1;
            };
        var ordered = new ArrayList<Match>();
        r.matches().stream().filter(CompiledTable::ownField).forEach(ordered::add);
        r.matches().stream().filter(m -> !ownField(m)).forEach(ordered::add);
        var ms = new Matcher.Compiled[ordered.size()];
        for (int k = 0; k < ms.length; k++) {
          ms[k] = matcher.compile(ordered.get(k), table.name().iptablesName(), c.name(), j + 1);
        }
        rs[j] = new CRule(r, jump, ms);
      }
      chains[i] = new CChain(c.name(), c.policy(), rs, c.counters());
    }
  }

  /** The rule's own fields ({@code -s -d -p -i -o}), which the kernel checks first. */
  private static boolean ownField(Match m) {
    return m.module().isEmpty();
  }

  int chainIndex(String name) {
    Integer i = index.get(name);
    if (i == null) {
      throw new IllegalStateException("no chain " + name + " in " + shape.name());
    }
    return i;
  }

  /** The table as a value, with the counters as they are now. */
  Table snapshot() {
    var out = new ArrayList<Chain>(chains.length);
    for (CChain c : chains) {
      List<Rule> rules = new ArrayList<>(c.rules.length);
      for (CRule r : c.rules) {
        rules.add(r.rule.withCounters(new Counters(r.packets, r.bytes)));
      }
      out.add(new Chain(c.name, c.policy, new Counters(c.packets, c.bytes), rules));
    }
    return new Table(shape.family(), shape.name(), out);
  }

  /** The mutable state (counters) as flat arrays, for snapshots of the whole namespace. */
  long[] saveState() {
    int n = 0;
    for (CChain c : chains) {
      n += 2 + 3 * c.rules.length;
    }
    long[] out = new long[n];
    int k = 0;
    for (CChain c : chains) {
      out[k++] = c.packets;
      out[k++] = c.bytes;
      for (CRule r : c.rules) {
        out[k++] = r.packets;
        out[k++] = r.bytes;
        out[k++] = r.nth;
      }
    }
    return out;
  }

  void restoreState(long[] state) {
    int k = 0;
    for (CChain c : chains) {
      c.packets = state[k++];
      c.bytes = state[k++];
      for (CRule r : c.rules) {
        r.packets = state[k++];
        r.bytes = state[k++];
        r.nth = (int) state[k++];
      }
    }
  }

  void zero(Optional<String> chain) {
    for (CChain c : chains) {
      if (chain.isPresent() && !chain.get().equals(c.name)) {
        continue;
      }
      c.packets = 0;
      c.bytes = 0;
      for (CRule r : c.rules) {
        r.packets = 0;
        r.bytes = 0;
      }
    }
  }
}
