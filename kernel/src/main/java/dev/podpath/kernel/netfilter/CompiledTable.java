package dev.podpath.kernel.netfilter;

import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Policy;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.Hook;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Packet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    final int jump; // chain index for -j/-g CHAIN (UNRESOLVED if missing), else -1
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

  /** One chain; a long chain keeps a {@link RuleIndex} of its rules. */
  static final class CChain {
    final String name;
    final Optional<Policy> policy;
    final CRule[] rules;
    long packets;
    long bytes;
    private final @Nullable RuleIndex index;

    final boolean needsConntrack;

    /** Whether some rule has a {@code statistic --mode nth} match (a counter in {@code nth}). */
    final boolean counting;

    final Map<String, Integer> setReferences;
    final Set<String> recentNames;

    CChain(
        Chain model,
        CRule[] rules,
        int indexFrom,
        boolean needsConntrack,
        Map<String, Integer> setReferences,
        Set<String> recentNames) {
      this.needsConntrack = needsConntrack;
      this.counting =
          Arrays.stream(rules)
              .anyMatch(
                  r ->
                      r.rule.matches().stream()
                          .anyMatch(
                              m ->
                                  m instanceof Match.Statistic st
                                      && st.mode() == Match.StatisticMode.NTH));
      this.setReferences = setReferences;
      this.recentNames = recentNames;
      this.name = model.name();
      this.policy = model.policy();
      this.rules = rules;
      this.packets = model.counters().packets();
      this.bytes = model.counters().bytes();
      this.index = RuleIndex.of(model.rules(), indexFrom).orElse(null);
    }

    /** The index of the first rule at or after {@code from} that {@code p} may match. */
    int next(int from, Packet p) {
      return index == null ? from : index.next(from, p);
    }

    /** How many of the chain's rules are filed under an address or port (0 without an index). */
    int keyed() {
      return index == null ? 0 : index.keyed();
    }
  }

  final IpFamily family;
  final TableName name;
  final CChain[] chains;
  final Map<String, Integer> index;
  private final Matcher matcher;
  private final int indexFrom;

  /** How many rules use each ip set ({@code -m set}), by set name. */
  final Map<String, Integer> setReferences = new HashMap<>();

  /** The {@code recent} lists the rules name. */
  final Set<String> recentNames = new HashSet<>();

  /**
   * Whether some rule needs conntrack ({@code nf_ct_netns_get} in its check): a {@code conntrack},
   * {@code state} or {@code connmark} match, a NAT, {@code CONNMARK} or {@code CT} (not {@code
   * --notrack}) target. Unreachable rules count too (seen on 6.18).
   */
  boolean needsConntrack;

  /**
   * The hooks each chain (by index) is reachable from, as {@link RulesetValidator} computed them
   * when it accepted the table; null before.
   */
  EnumSet<Hook> @Nullable [] reachable;

  /**
   * Compiles {@code table}. A jump to a chain the table does not have resolves to {@link
   * #UNRESOLVED}; {@link RulesetValidator} refuses such a table before it is installed.
   */
  CompiledTable(Table table, Matcher matcher) {
    this(table, matcher, RuleIndex.INDEX_FROM);
  }

  /** With chains of {@code indexFrom} rules or more indexed (tests compare with no index). */
  CompiledTable(Table table, Matcher matcher, int indexFrom) {
    this.family = table.family();
    this.name = table.name();
    this.matcher = matcher;
    this.indexFrom = indexFrom;
    var cs = table.chains();
    index = HashMap.newHashMap(cs.size());
    for (int i = 0; i < cs.size(); i++) {
      index.put(cs.get(i).name(), i);
    }
    chains = new CChain[cs.size()];
    for (int i = 0; i < cs.size(); i++) {
      chains[i] = compile(cs.get(i));
    }
    total();
  }

  /**
   * {@code base} with one of its chains replaced by {@code chain} (same name: its rules, policy and
   * counters as given); the other chains are shared with {@code base}, not recompiled. Only one of
   * the two may be installed: they share counters.
   */
  private CompiledTable(CompiledTable base, int changed, Chain chain) {
    this.family = base.family;
    this.name = base.name;
    this.matcher = base.matcher;
    this.indexFrom = base.indexFrom;
    this.index = base.index;
    this.chains = base.chains.clone();
    chains[changed] = compile(chain);
    total();
  }

  /**
   * {@link #CompiledTable(CompiledTable, int, Chain)}, or empty when there is no such chain (or it
   * would turn a built-in chain into a user chain or back).
   */
  Optional<CompiledTable> withChain(Chain chain) {
    Integer i = index.get(chain.name());
    if (i == null || chains[i].policy.isPresent() != chain.policy().isPresent()) {
      return Optional.empty();
    }
    return Optional.of(new CompiledTable(this, i, chain));
  }

  private void total() {
    for (CChain c : chains) {
      needsConntrack |= c.needsConntrack;
      c.setReferences.forEach((n, k) -> setReferences.merge(n, k, Integer::sum));
      recentNames.addAll(c.recentNames);
    }
  }

  private CChain compile(Chain c) {
    String tableName = name.iptablesName();
    CRule[] rs = new CRule[c.rules().size()];
    boolean conntrack = false;
    var sets = new HashMap<String, Integer>();
    var recents = new HashSet<String>();
    for (int j = 0; j < rs.length; j++) {
      Rule r = c.rules().get(j);
      int jump =
          switch (r.target()) {
            case Target.Jump jp -> index.getOrDefault(jp.chain(), UNRESOLVED);
            case Target.Goto g -> index.getOrDefault(g.chain(), UNRESOLVED);
            default -> -1;
          };
      List<Match> ordered = RuleIndex.evaluationOrder(r);
      conntrack |= needsConntrack(r);
      for (Match m : r.matches()) {
        if (m instanceof Match.IpSet st) {
          sets.merge(st.setName(), 1, Integer::sum);
        } else if (m instanceof Match.Recent rc) {
          recents.add(rc.name());
        }
      }
      var ms = new Matcher.Compiled[ordered.size()];
      for (int k = 0; k < ms.length; k++) {
        ms[k] = matcher.compile(ordered.get(k), tableName, c.name(), j + 1);
      }
      rs[j] = new CRule(r, jump, ms);
    }
    return new CChain(c, rs, indexFrom, conntrack, sets, recents);
  }

  /**
   * Sets every {@code statistic --mode nth} counter to zero, as compiling the whole table afresh
   * does (a table installed with {@link #withChain} shares the other chains' rules).
   */
  void resetNth() {
    for (CChain c : chains) {
      if (c.counting) {
        for (CRule r : c.rules) {
          r.nth = 0;
        }
      }
    }
  }

  private static boolean needsConntrack(Rule r) {
    boolean target =
        switch (r.target()) {
          case Target.Dnat d -> true;
          case Target.Snat sn -> true;
          case Target.Masquerade mq -> true;
          case Target.Redirect rd -> true;
          case Target.ConnMark cm -> true;
          case Target.Ct ct -> !ct.notrack();
          default -> false;
        };
    return target
        || r.matches().stream()
            .anyMatch(
                m ->
                    m instanceof Match.Conntrack
                        || m instanceof Match.State
                        || m instanceof Match.ConnMark);
  }

  /** {@link CRule#jump} of a jump or goto to a chain that is not in the table. */
  static final int UNRESOLVED = -2;

  int chainIndex(String name) {
    Integer i = index.get(name);
    if (i == null) {
      throw new IllegalStateException("no chain " + name + " in " + this.name);
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
    return new Table(family, name, out);
  }

  /** One chain as {@link #snapshot} would show it, without copying the others. */
  Optional<Chain> chainSnapshot(String chainName) {
    for (CChain c : chains) {
      if (c.name.equals(chainName)) {
        List<Rule> rules = new ArrayList<>(c.rules.length);
        for (CRule r : c.rules) {
          rules.add(r.rule.withCounters(new Counters(r.packets, r.bytes)));
        }
        return Optional.of(new Chain(c.name, c.policy, new Counters(c.packets, c.bytes), rules));
      }
    }
    return Optional.empty();
  }

  /** Whether {@link #snapshot} equals {@code Table.empty} of this table, without building it. */
  boolean isPristine(Table empty) {
    List<Chain> want = empty.chains();
    if (want.size() != chains.length) {
      return false;
    }
    for (int i = 0; i < chains.length; i++) {
      CChain c = chains[i];
      Chain w = want.get(i);
      if (!c.name.equals(w.name())
          || !c.policy.equals(w.policy())
          || c.rules.length != 0
          || c.packets != w.counters().packets()
          || c.bytes != w.counters().bytes()) {
        return false;
      }
    }
    return true;
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
