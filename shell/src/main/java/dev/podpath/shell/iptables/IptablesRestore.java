package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Policy;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.RulesetException;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpFamily;
import dev.podpath.shell.ToolResult;
import dev.podpath.shell.iptables.TableDraft.ChainDraft;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code iptables-restore [-c] [-n] [-t] [-T TABLE] [-w]}: reads {@code iptables-save} text and
 * installs each table at its {@code COMMIT}, whole or not at all. Without {@code --noflush} a table
 * block replaces the table (a block with nothing in it deletes it); with it, the block's commands
 * apply to the table as it is. Tables committed before an error stay; the table being read is left
 * as it was, and the error names the input line.
 */
public final class IptablesRestore {

  private static final Pattern BLANKS = Pattern.compile("[ \t]+");

  private final Netfilter nf;
  private final IpFamily family;
  private final String program;
  private boolean counters;
  private boolean noflush;
  private boolean test;
  private Optional<String> onlyTable = Optional.empty();
  private @Nullable TableDraft draft;
  private boolean skipping;
  private boolean touched;
  private int line;

  /**
   * The built-in chains a flushing block has brought into being so far. iptables-nft creates a base
   * chain only when the block first names it (a {@code :CHAIN} line, a rule command, {@code -P},
   * {@code -F}), so until then {@code -X} of it finds no such chain; once there and empty, {@code
   * -X} deletes it (iptables-save shows it again as {@code ACCEPT [0:0]}).
   */
  private final Set<String> liveBuiltins = new HashSet<>();

  private IptablesRestore(Netfilter nf, IpFamily family) {
    this.nf = nf;
    this.family = family;
    this.program = family == IpFamily.IPV4 ? "iptables-restore" : "ip6tables-restore";
  }

  /**
   * {@code iptables-restore ARGS…} reading {@code stdin}; {@code args} without the program name.
   */
  public static ToolResult run(Netfilter nf, IpFamily family, List<String> args, String stdin) {
    return new IptablesRestore(nf, family).restore(args, stdin);
  }

  private ToolResult restore(List<String> args, String stdin) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "-c", "--counters" -> counters = true;
        case "-n", "--noflush" -> noflush = true;
        case "-t", "--test" -> test = true;
        case "-v", "--verbose", "-M", "--modprobe" -> {}
        case "-w", "--wait", "-W", "--wait-interval" -> {
          if (i + 1 < args.size() && args.get(i + 1).chars().allMatch(Character::isDigit)) {
            i++;
          }
        }
        case "-T", "--table" -> {
          if (i + 1 >= args.size()) {
            return ToolResult.fail(1, program + ": option requires an argument -- 'T'\n");
          }
          onlyTable = Optional.of(args.get(++i));
        }
        default -> {
          if (a.startsWith("-")) {
            return ToolResult.fail(
                1,
                program
                    + ": unrecognized option '"
                    + a
                    + "'\n"
                    + "Try `"
                    + program
                    + " -h' for more information.\n");
          }
          return ToolResult.fail(1, "Can't open " + a + ": No such file or directory\n");
        }
      }
    }
    try {
      int count = 0;
      int start = 0;
      while (start < stdin.length()) {
        int nl = stdin.indexOf('\n', start);
        // each line with its newline, as the real tool reads it (one is added to a last line)
        String text = nl < 0 ? stdin.substring(start) + "\n" : stdin.substring(start, nl + 1);
        line = ++count;
        handle(text);
        start = nl < 0 ? stdin.length() : nl + 1;
      }
      if (draft != null || skipping) {
        return ToolResult.fail(1, program + ": COMMIT expected at line " + (count + 1) + "\n");
      }
      return ToolResult.ok("");
    } catch (IptablesError e) {
      return ToolResult.fail(e.exitCode(), e.forRestore(program, line));
    } catch (IllegalArgumentException e) {
      // a value the netfilter model refuses that iptables would have taken: report, change nothing
      return ToolResult.fail(2, IptablesError.parameter(e.getMessage()).forRestore(program, line));
    }
  }

  private void handle(String text) {
    if (text.equals("\n") || text.startsWith("#")) {
      return;
    }
    boolean inTable = draft != null || skipping;
    if (text.equals("COMMIT\n")) {
      if (!inTable) {
        throw failed();
      }
      commit();
      return;
    }
    if (text.startsWith("*") && !inTable) {
      String name = text.substring(1).strip().split("[ \t]", 2)[0];
      Optional<TableName> t = TableName.find(name);
      if (t.isEmpty()) {
        throw IptablesError.parameter(
            program + ": line " + line + " table name '" + name + "' invalid");
      }
      if (onlyTable.isPresent() && !onlyTable.get().equals(name)) {
        skipping = true;
        return;
      }
      draft =
          noflush ? TableDraft.of(nf.table(family, t.get())) : TableDraft.empty(family, t.get());
      touched = noflush;
      liveBuiltins.clear();
      return;
    }
    if (!inTable) {
      throw failed();
    }
    if (skipping) {
      return;
    }
    touched = true;
    if (text.startsWith(":")) {
      chainLine(text);
    } else {
      ruleLine(text);
    }
  }

  private static IptablesError failed() {
    return new IptablesError(IptablesError.Kind.LINE_FAILED, "failed");
  }

  private void chainLine(String text) {
    String[] parts = BLANKS.split(text.substring(1).strip());
    String name = parts[0];
    if (parts.length < 2) {
      throw IptablesError.parameter(program + ": line " + line + " policy invalid");
    }
    Counters c = Counters.ZERO;
    if (parts.length > 2 && counters) {
      c = bracketCounters(parts[2]);
    }
    TableDraft d = draft;
    Optional<ChainDraft> existing = d.chain(name);
    if (existing.isPresent() && existing.get().isBuiltin()) {
      liveBuiltins.add(name);
      if (!parts[1].equals("-")) {
        if (!parts[1].equals("ACCEPT") && !parts[1].equals("DROP")) {
          throw IptablesError.result("Bad policy name.");
        }
        existing.get().policy = Optional.of(Policy.valueOf(parts[1]));
        if (counters || !noflush) {
          existing.get().counters = c;
        }
      }
      return;
    }
    if (existing.isPresent()) {
      existing.get().clear();
      return;
    }
    GlobalOptions.validChainName(name);
    d.addUserChain(name);
  }

  private Counters bracketCounters(String text) {
    if (!text.startsWith("[") || !text.endsWith("]") || text.indexOf(':') < 0) {
      throw IptablesError.parameter("Bad line " + line + ": need ]");
    }
    String[] pb = text.substring(1, text.length() - 1).split(":", 2);
    try {
      return new Counters(Long.parseLong(pb[0]), Long.parseLong(pb[1]));
    } catch (NumberFormatException e) {
      throw IptablesError.parameter("Bad line " + line + ": need ]");
    }
  }

  private void ruleLine(String text) {
    Optional<Counters> inline = Optional.empty();
    String rest = text;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw IptablesError.parameter("Bad line " + line + ": need ]");
      }
      Counters c = bracketCounters(text.substring(0, close + 1));
      inline = counters ? Optional.of(c) : Optional.empty();
      rest = text.substring(close + 1);
    }
    TableDraft d = draft;
    String tableName = d.name.iptablesName();
    Command cmd =
        CommandLine.parse(family, tableName, RestoreLine.words(rest), nf.ipSets()::exists);
    if (!cmd.table().equals(tableName)) {
      throw IptablesError.parameter("The -t option cannot be used in " + program + ".\n");
    }
    if (inline.isPresent() && cmd.counters().isEmpty()) {
      List<Rule> rules = new ArrayList<>();
      for (Rule r : cmd.rules()) {
        rules.add(r.withCounters(inline.get()));
      }
      cmd =
          new Command(
              cmd.op(),
              cmd.zeroToo(),
              cmd.table(),
              cmd.chain(),
              cmd.ruleNumber(),
              cmd.argument(),
              cmd.format(),
              inline,
              rules,
              cmd.jumpChain());
    }
    if (!noflush && builtinLifecycle(cmd, d)) {
      return;
    }
    Executor.apply(cmd, d, true, line, name -> nf.nfacct().list().containsKey(name));
  }

  /**
   * In a flushing block, {@code -X} of a built-in chain as iptables-nft answers it (see {@link
   * #liveBuiltins}); true when that was the command. Any other command naming a built-in chain
   * brings it into being.
   */
  private boolean builtinLifecycle(Command cmd, TableDraft d) {
    Optional<ChainDraft> c = cmd.chain().flatMap(d::chain).filter(ChainDraft::isBuiltin);
    if (c.isEmpty()) {
      return false;
    }
    String name = c.get().name;
    if (cmd.op() != Command.Op.DELETE_CHAIN) {
      liveBuiltins.add(name);
      return false;
    }
    if (!liveBuiltins.contains(name)) {
      throw IptablesError.noSuchChain();
    }
    if (!c.get().rules.isEmpty()) {
      throw IptablesError.result("Directory not empty.");
    }
    c.get().policy = Optional.of(Policy.ACCEPT);
    c.get().counters = Counters.ZERO;
    liveBuiltins.remove(name);
    return true;
  }

  private void commit() {
    TableDraft d = draft;
    draft = null;
    boolean wasSkipping = skipping;
    skipping = false;
    if (wasSkipping || test || d == null) {
      return;
    }
    if (!touched) {
      nf.commit(Table.empty(family, d.name));
      nf.setExists(family, d.name, false);
      return;
    }
    for (ChainDraft c : d.chains.values()) {
      for (Rule r : c.rules) {
        String to =
            r.target() instanceof Target.Jump j
                ? j.chain()
                : r.target() instanceof Target.Goto g ? g.chain() : null;
        if (to != null && d.chain(to).isEmpty()) {
          throw IptablesError.parameter("Chain '" + to + "' does not exist");
        }
      }
    }
    try {
      nf.commit(d.toTable());
      nf.setExists(family, d.name, true);
    } catch (RulesetException e) {
      int at = d.line(e.chain(), e.ruleNumber());
      if (at > 0) {
        line = at;
      }
      IptablesError k = Iptables.kernelError(e, Command.Op.APPEND, e.chain());
      throw new IptablesError(IptablesError.Kind.KERNEL, k.getMessage());
    }
  }
}
