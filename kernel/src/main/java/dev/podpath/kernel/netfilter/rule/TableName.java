package dev.podpath.kernel.netfilter.rule;

import dev.podpath.kernel.path.Hook;
import dev.podpath.kernel.path.Priority;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The iptables tables, each with its built-in chains (in the order {@code iptables-save} prints
 * them) and the priority its hook functions run at.
 */
public enum TableName {
  RAW(Priority.RAW, List.of(Hook.PREROUTING, Hook.OUTPUT)),
  MANGLE(Priority.MANGLE, List.of(Hook.values())),
  NAT(Priority.NAT_DST, List.of(Hook.PREROUTING, Hook.INPUT, Hook.OUTPUT, Hook.POSTROUTING)),
  FILTER(Priority.FILTER, List.of(Hook.INPUT, Hook.FORWARD, Hook.OUTPUT)),
  SECURITY(Priority.SECURITY, List.of(Hook.INPUT, Hook.FORWARD, Hook.OUTPUT));

  private final int priority;
  private final List<Hook> builtins;
  private final List<String> builtinChains;
  private final String iptablesName;

  TableName(int priority, List<Hook> builtins) {
    this.priority = priority;
    this.builtins = builtins;
    this.builtinChains = builtins.stream().map(Hook::name).toList();
    this.iptablesName = name().toLowerCase(Locale.ROOT);
  }

  /** The name iptables uses ({@code -t nat}). */
  public String iptablesName() {
    return iptablesName;
  }

  /** The hooks this table has built-in chains for, in printing order. */
  public List<Hook> builtinHooks() {
    return builtins;
  }

  /** The names of the built-in chains, in printing order. */
  public List<String> builtinChains() {
    return builtinChains;
  }

  public boolean hasBuiltin(String chain) {
    return builtinChains.contains(chain);
  }

  /**
   * The table's hook priority. The nat table runs at {@link Priority#NAT_DST} in PREROUTING and
   * OUTPUT and at {@link Priority#NAT_SRC} in INPUT and POSTROUTING.
   */
  public int priority(Hook hook) {
    if (this == NAT && (hook == Hook.INPUT || hook == Hook.POSTROUTING)) {
      return Priority.NAT_SRC;
    }
    return priority;
  }

  /** Looks a table up by its iptables name. */
  public static Optional<TableName> find(String name) {
    for (TableName t : values()) {
      if (t.iptablesName().equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return iptablesName();
  }
}
