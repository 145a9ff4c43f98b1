package dev.podpath.kernel.netfilter.rule;

import dev.podpath.net.IpFamily;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of one table of one family: its built-in chains (in the table's order, each
 * with its policy) followed by its user chains sorted by name, as {@code iptables-save} and {@code
 * iptables -L} list them. Change it with the {@code with…} methods and install it with {@code
 * Netfilter.commit}, which checks it as a whole.
 */
public record Table(IpFamily family, TableName name, List<Chain> chains) {

  public Table {
    List<String> builtinNames = name.builtinChains();
    var builtins = new Chain[builtinNames.size()];
    var users = new ArrayList<Chain>(chains.size());
    for (Chain c : chains) {
      int b = builtinNames.indexOf(c.name());
      if (b >= 0) {
        if (builtins[b] != null) {
          throw twice(name, c.name());
        }
        builtins[b] = c;
        continue;
      }
      if (c.isBuiltin()) {
        throw new IllegalArgumentException(
            "table "
                + name
                + ": "
                + c.name()
                + " is not a built-in chain and cannot have a policy");
      }
      users.add(c);
    }
    var ordered = new ArrayList<Chain>(chains.size());
    for (int b = 0; b < builtins.length; b++) {
      Chain c = builtins[b];
      if (c == null) {
        throw new IllegalArgumentException(
            "table " + name + ": built-in chain " + builtinNames.get(b) + " is missing");
      }
      if (!c.isBuiltin()) {
        throw new IllegalArgumentException(
            "table " + name + ": built-in chain " + c.name() + " needs a policy");
      }
      ordered.add(c);
    }
    users.sort(BY_NAME);
    for (int i = 1; i < users.size(); i++) {
      if (users.get(i).name().equals(users.get(i - 1).name())) {
        throw twice(name, users.get(i).name());
      }
    }
    ordered.addAll(users);
    chains = List.copyOf(ordered);
  }

  private static final Comparator<Chain> BY_NAME = (a, b) -> a.name().compareTo(b.name());

  private static IllegalArgumentException twice(TableName table, String chain) {
    return new IllegalArgumentException("table " + table + ": chain " + chain + " appears twice");
  }

  /** A table with its built-in chains, empty, with policy ACCEPT. */
  public static Table empty(IpFamily family, TableName name) {
    return new Table(
        family,
        name,
        name.builtinChains().stream().map(c -> Chain.builtin(c, Policy.ACCEPT)).toList());
  }

  public Optional<Chain> chain(String chainName) {
    return chains.stream().filter(c -> c.name().equals(chainName)).findFirst();
  }

  /** The chain, or an {@link IllegalArgumentException} naming it. */
  public Chain requireChain(String chainName) {
    return chain(chainName)
        .orElseThrow(
            () -> new IllegalArgumentException("table " + name + ": no chain " + chainName));
  }

  public List<Chain> userChains() {
    return chains.stream().filter(c -> !c.isBuiltin()).toList();
  }

  /** The table with {@code chain} replacing the chain of its name, or added as a new chain. */
  public Table withChain(Chain chain) {
    var l = new ArrayList<Chain>();
    boolean replaced = false;
    for (Chain c : chains) {
      if (c.name().equals(chain.name())) {
        l.add(chain);
        replaced = true;
      } else {
        l.add(c);
      }
    }
    if (!replaced) {
      l.add(chain);
    }
    return new Table(family, name, l);
  }

  /** The table without a user chain ({@code -X}); throws for a built-in chain. */
  public Table withoutChain(String chainName) {
    if (name.hasBuiltin(chainName)) {
      throw new IllegalArgumentException(
          "table " + name + ": cannot delete built-in chain " + chainName);
    }
    return new Table(
        family, name, chains.stream().filter(c -> !c.name().equals(chainName)).toList());
  }

  /** The number of rules that jump or go to {@code chainName} ({@code -L}'s "references"). */
  public int references(String chainName) {
    int n = 0;
    for (Chain c : chains) {
      for (Rule r : c.rules()) {
        if (r.target() instanceof Target.Jump j && j.chain().equals(chainName)
            || r.target() instanceof Target.Goto g && g.chain().equals(chainName)) {
          n++;
        }
      }
    }
    return n;
  }

  /** Every chain flushed, user chains deleted, policies and counters kept ({@code -F; -X}). */
  public Table flushed() {
    return new Table(
        family, name, chains.stream().filter(Chain::isBuiltin).map(Chain::flushed).toList());
  }

  /** Every counter at zero ({@code -Z}). */
  public Table zeroed() {
    return new Table(family, name, chains.stream().map(Chain::zeroed).toList());
  }
}
