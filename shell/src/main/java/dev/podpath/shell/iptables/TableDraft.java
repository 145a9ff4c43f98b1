package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Policy;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A table being edited by one command or one restore block: chains with growable rule lists (so a
 * restore of ten thousand rules stays linear), each rule remembering the input line it came from.
 * {@link #toTable()} gives the immutable model table to commit.
 */
final class TableDraft {

  /** One chain being edited. */
  static final class ChainDraft {
    String name;
    Optional<Policy> policy;
    Counters counters;
    final List<Rule> rules = new ArrayList<>();
    final List<Integer> lines = new ArrayList<>();

    /** The owning draft's count of rule edits, shared by its chains. */
    private final int[] edits;

    ChainDraft(String name, Optional<Policy> policy, Counters counters, int[] edits) {
      this.name = name;
      this.policy = policy;
      this.counters = counters;
      this.edits = edits;
    }

    boolean isBuiltin() {
      return policy.isPresent();
    }

    void add(int index, Rule rule, int line) {
      edits[0]++;
      if (index == rules.size()) {
        rules.add(rule);
        lines.add(line);
      } else {
        rules.add(index, rule);
        lines.add(index, line);
      }
    }

    void remove(int index) {
      edits[0]++;
      rules.remove(index);
      lines.remove(index);
    }

    void clear() {
      edits[0]++;
      rules.clear();
      lines.clear();
    }
  }

  final IpFamily family;
  final TableName name;
  final Map<String, ChainDraft> chains = new LinkedHashMap<>();

  /** Rule edits so far (add, remove, clear, rename), to know when {@link #refs} is stale. */
  private final int[] edits = {0};

  /** The chain {@link #chain} found last: consecutive restore lines mostly name the same chain. */
  private @Nullable ChainDraft last;

  /** {@link #referenceCounts()} as of {@link #refsEdits} edits, for {@code -X} after {@code -X}. */
  private @Nullable Map<String, Integer> refs;

  private int refsEdits = -1;

  private TableDraft(IpFamily family, TableName name) {
    this.family = family;
    this.name = name;
  }

  static TableDraft of(Table table) {
    TableDraft d = new TableDraft(table.family(), table.name());
    for (Chain c : table.chains()) {
      ChainDraft cd = new ChainDraft(c.name(), c.policy(), c.counters(), d.edits);
      for (Rule r : c.rules()) {
        cd.add(cd.rules.size(), r, 0);
      }
      d.chains.put(c.name(), cd);
    }
    return d;
  }

  /**
   * A draft holding only {@code chain} (when there is one), for a command that reads a single chain
   * and writes nothing ({@code -C}): the rest of the table is not copied.
   */
  static TableDraft ofOnly(IpFamily family, TableName name, Optional<Chain> chain) {
    TableDraft d = new TableDraft(family, name);
    chain.ifPresent(
        c -> {
          ChainDraft cd = new ChainDraft(c.name(), c.policy(), c.counters(), d.edits);
          for (Rule r : c.rules()) {
            cd.add(cd.rules.size(), r, 0);
          }
          d.chains.put(c.name(), cd);
        });
    return d;
  }

  static TableDraft empty(IpFamily family, TableName name) {
    return of(Table.empty(family, name));
  }

  Optional<ChainDraft> chain(String chainName) {
    ChainDraft c = last;
    if (c == null || !c.name.equals(chainName)) {
      c = chains.get(chainName);
      last = c;
    }
    return Optional.ofNullable(c);
  }

  /**
   * The number of rules that jump or go to {@code chainName}. Counted once for a run of chain
   * deletions (a sync's {@code -X} lines) and again only after a rule changed.
   */
  int references(String chainName) {
    Map<String, Integer> r = refs;
    if (r == null || refsEdits != edits[0]) {
      r = referenceCounts();
      refs = r;
      refsEdits = edits[0];
    }
    return r.getOrDefault(chainName, 0);
  }

  /** Deletes a chain ({@code -X}); the caller checked that it is empty and unreferenced. */
  void removeChain(String chainName) {
    chains.remove(chainName);
    last = null;
  }

  /** How many rules jump or go to each chain, for listing every chain at once. */
  Map<String, Integer> referenceCounts() {
    Map<String, Integer> out = new java.util.HashMap<>();
    for (ChainDraft c : chains.values()) {
      for (Rule r : c.rules) {
        if (r.target() instanceof Target.Jump j) {
          out.merge(j.chain(), 1, Integer::sum);
        } else if (r.target() instanceof Target.Goto g) {
          out.merge(g.chain(), 1, Integer::sum);
        }
      }
    }
    return out;
  }

  void addUserChain(String chainName) {
    chains.put(chainName, new ChainDraft(chainName, Optional.empty(), Counters.ZERO, edits));
    last = null;
  }

  /** Renames a user chain, and the jumps to it, rewriting the rules' texts. */
  void rename(String from, String to) {
    edits[0]++;
    last = null;
    Map<String, ChainDraft> renamed = new LinkedHashMap<>();
    for (ChainDraft c : chains.values()) {
      if (c.name.equals(from)) {
        c.name = to;
      }
      for (int i = 0; i < c.rules.size(); i++) {
        Rule r = c.rules.get(i);
        Target t =
            switch (r.target()) {
              case Target.Jump j when j.chain().equals(from) -> new Target.Jump(to);
              case Target.Goto g when g.chain().equals(from) -> new Target.Goto(to);
              default -> r.target();
            };
        if (!t.equals(r.target()) || c.name.equals(to)) {
          Rule n = new Rule(r.matches(), t, "", r.counters());
          c.rules.set(i, withText(c.name, n));
        }
      }
      renamed.put(c.name, c);
    }
    chains.clear();
    chains.putAll(renamed);
  }

  /** The rule with its canonical {@code -A CHAIN …} text. */
  static Rule withText(String chain, Rule rule) {
    return new Rule(rule.matches(), rule.target(), RuleText.of(chain, rule), rule.counters());
  }

  Table toTable() {
    List<Chain> out = new ArrayList<>();
    for (ChainDraft c : chains.values()) {
      out.add(new Chain(c.name, c.policy, c.counters, c.rules));
    }
    return new Table(family, name, out);
  }

  /** The input line of rule {@code number} (1-based) of a chain, 0 when unknown. */
  int line(String chainName, int number) {
    ChainDraft c = chains.get(chainName);
    return c == null || number < 1 || number > c.lines.size() ? 0 : c.lines.get(number - 1);
  }
}
