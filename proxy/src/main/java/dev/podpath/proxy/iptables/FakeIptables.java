package dev.podpath.proxy.iptables;

import dev.podpath.net.IpFamily;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An in-memory {@link Iptables}: tables of chains of rule texts, with the built-in chains of {@code
 * filter}, {@code nat}, {@code mangle} and {@code raw}, and {@code iptables-restore --noflush}
 * semantics: a chain line creates or flushes a chain, {@code -X} deletes an unreferenced user
 * chain, every jump must name a chain or a target, and a table is committed whole or not at all. It
 * records every restore input it was given.
 */
public final class FakeIptables implements Iptables {

  private static final Map<String, List<String>> BUILTIN =
      Map.of(
          "filter", List.of("INPUT", "FORWARD", "OUTPUT"),
          "nat", List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
          "mangle", List.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"),
          "raw", List.of("PREROUTING", "OUTPUT"));

  private static final Set<String> TARGETS =
      Set.of(
          "ACCEPT",
          "DROP",
          "REJECT",
          "RETURN",
          "DNAT",
          "SNAT",
          "MASQUERADE",
          "MARK",
          "LOG",
          "REDIRECT",
          "CONNMARK",
          "NOTRACK",
          "CT",
          "QUEUE",
          "NFQUEUE",
          "TRACE",
          "TPROXY");

  private final IpFamily family;
  private final boolean randomFully;
  private final Map<String, Map<String, List<String>>> tables = new TreeMap<>();
  private final List<String> restores = new ArrayList<>();

  public FakeIptables(IpFamily family, boolean randomFully) {
    this.family = family;
    this.randomFully = randomFully;
    BUILTIN.forEach(
        (t, chains) -> {
          Map<String, List<String>> table = new LinkedHashMap<>();
          chains.forEach(c -> table.put(c, new ArrayList<>()));
          tables.put(t, table);
        });
  }

  @Override
  public IpFamily family() {
    return family;
  }

  @Override
  public boolean hasRandomFully() {
    return randomFully;
  }

  @Override
  public boolean ensureChain(String table, String chain) {
    return table(table).putIfAbsent(chain, new ArrayList<>()) != null;
  }

  @Override
  public boolean ensureRule(Position position, String table, String chain, List<String> args) {
    List<String> rules = table(table).computeIfAbsent(chain, k -> new ArrayList<>());
    String text = RuleWords.join(args);
    if (rules.contains(text)) {
      return true;
    }
    if (position == Position.PREPEND) {
      rules.add(0, text);
    } else {
      rules.add(text);
    }
    return false;
  }

  /** Appends a rule outside kube-proxy (as another program, or a person, would). */
  public void appendRule(String table, String chain, String ruleText) {
    table(table).computeIfAbsent(chain, k -> new ArrayList<>()).add(ruleText);
  }

  @Override
  public Set<String> chains(String table) {
    return Collections.unmodifiableSet(new TreeSet<>(table(table).keySet()));
  }

  /** The rule texts of one chain, in order; empty if the chain does not exist. */
  public List<String> rules(String table, String chain) {
    return List.copyOf(table(table).getOrDefault(chain, List.of()));
  }

  /** Whether a chain exists. */
  public boolean hasChain(String table, String chain) {
    return table(table).containsKey(chain);
  }

  /** Every restore input given so far, oldest first. */
  public List<String> restoreInputs() {
    return List.copyOf(restores);
  }

  @Override
  public String save(String table) {
    var t = table(table);
    var sb = new StringBuilder("*").append(table).append('\n');
    List<String> builtin = BUILTIN.getOrDefault(table, List.of());
    for (String c : builtin) {
      sb.append(':').append(c).append(" ACCEPT [0:0]\n");
    }
    var user = new TreeSet<>(t.keySet());
    user.removeAll(builtin);
    user.forEach(c -> sb.append(':').append(c).append(" - [0:0]\n"));
    for (String c : builtin) {
      t.get(c).forEach(r -> sb.append("-A ").append(c).append(' ').append(r).append('\n'));
    }
    for (String c : user) {
      t.get(c).forEach(r -> sb.append("-A ").append(c).append(' ').append(r).append('\n'));
    }
    return sb.append("COMMIT\n").toString();
  }

  @Override
  public void restore(String text) throws RestoreException {
    restores.add(text);
    String[] lines = text.split("\n", -1);
    String tableName = null;
    Map<String, List<String>> work = null;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      int no = i + 1;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("*")) {
        tableName = line.substring(1);
        work = copy(table(tableName));
      } else if (work == null) {
        throw new RestoreException(no, "no table given before \"" + line + "\"");
      } else if (line.equals("COMMIT")) {
        checkJumps(work, no);
        tables.put(tableName, work);
        work = null;
      } else if (line.startsWith(":")) {
        String chain = line.substring(1).split(" ")[0];
        work.computeIfAbsent(chain, k -> new ArrayList<>()).clear();
      } else if (line.startsWith("-A ")) {
        int sp = line.indexOf(' ', 3);
        String chain = sp < 0 ? line.substring(3) : line.substring(3, sp);
        List<String> rules = work.get(chain);
        if (rules == null) {
          throw new RestoreException(no, "chain " + chain + " does not exist");
        }
        rules.add(sp < 0 ? "" : line.substring(sp + 1));
      } else if (line.startsWith("-X ")) {
        String chain = line.substring(3).strip();
        if (!work.containsKey(chain) || BUILTIN.get(tableName).contains(chain)) {
          throw new RestoreException(no, "cannot delete chain " + chain + ": no such chain");
        }
        for (var e : work.entrySet()) {
          for (String r : e.getValue()) {
            if (RuleWords.target(RuleWords.split(r)).equals(chain)) {
              throw new RestoreException(
                  no, "cannot delete chain " + chain + ": referenced by " + e.getKey());
            }
          }
        }
        work.remove(chain);
      } else {
        throw new RestoreException(no, "unknown command \"" + line + "\"");
      }
    }
    if (work != null) {
      throw new RestoreException(lines.length, "COMMIT expected at the end of " + tableName);
    }
  }

  private static void checkJumps(Map<String, List<String>> work, int line) throws RestoreException {
    for (var e : work.entrySet()) {
      for (String r : e.getValue()) {
        String target = RuleWords.target(RuleWords.split(r));
        if (!target.isEmpty() && !TARGETS.contains(target) && !work.containsKey(target)) {
          throw new RestoreException(
              line, "chain " + e.getKey() + " jumps to " + target + ", which does not exist");
        }
      }
    }
  }

  private Map<String, List<String>> table(String name) {
    var t = tables.get(name);
    if (t == null) {
      throw new IllegalArgumentException("table: no table named " + name);
    }
    return t;
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> table) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    table.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
    return out;
  }
}
