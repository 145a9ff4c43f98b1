package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.RulesetException;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.net.IpFamily;
import dev.podpath.shell.ToolResult;
import java.util.List;

/**
 * The {@code iptables} and {@code ip6tables} commands of iptables 1.8.9 (nf_tables) over one
 * namespace's {@link Netfilter}: every command ({@code -A -C -D -I -R -L -S -F -Z -N -X -E -P}),
 * the listing flags, the matches and targets podpath models, with the real tool's output, error
 * messages and exit codes. A failing command changes nothing; a succeeding one commits its table
 * whole, as iptables-nft sends the kernel one batch.
 *
 * <p>Entry points: {@link #run(Netfilter, List, String)} dispatches on the program name (also
 * {@code iptables-save} and {@code iptables-restore}); {@link #iptables} runs one command.
 */
public final class Iptables {

  /** What the tools print after their name. */
  public static final String VERSION = "v1.8.9 (nf_tables)";

  private static final List<String> PROGRAMS =
      List.of(
          "iptables",
          "ip6tables",
          "iptables-save",
          "ip6tables-save",
          "iptables-restore",
          "ip6tables-restore");

  private Iptables() {}

  /**
   * Whether {@link #run} knows the program ({@code iptables}, {@code ip6tables-restore}, …; the
   * {@code -nft} spellings such as {@code iptables-nft-save} too).
   */
  public static boolean handles(String program) {
    return PROGRAMS.contains(program.replace("-nft", ""));
  }

  /**
   * Runs {@code argv} (the program name first, as a shell passes it) with {@code stdin} as standard
   * input (only {@code iptables-restore} reads it).
   */
  public static ToolResult run(Netfilter nf, List<String> argv, String stdin) {
    String program = argv.get(0).replace("-nft", "");
    IpFamily family = program.startsWith("ip6") ? IpFamily.IPV6 : IpFamily.IPV4;
    List<String> args = argv.subList(1, argv.size());
    if (program.endsWith("-save")) {
      return IptablesSave.run(nf, family, args);
    }
    if (program.endsWith("-restore")) {
      return IptablesRestore.run(nf, family, args, stdin);
    }
    if (!handles(program)) {
      throw new IllegalArgumentException("Iptables.run: not an iptables program: " + program);
    }
    return iptables(nf, family, args);
  }

  /** {@code iptables ARGS…} ({@code ip6tables} for IPv6), {@code args} without the program name. */
  public static ToolResult iptables(Netfilter nf, IpFamily family, List<String> args) {
    return iptables(nf, family, args, true);
  }

  /**
   * {@link #iptables(Netfilter, IpFamily, List)}; with {@code incremental} false every writing
   * command copies, edits and commits the whole table (the reference the incremental path is tested
   * against).
   */
  static ToolResult iptables(
      Netfilter nf, IpFamily family, List<String> args, boolean incremental) {
    String program = family == IpFamily.IPV4 ? "iptables" : "ip6tables";
    if (args.contains("-V") || args.contains("--version")) {
      return ToolResult.ok(program + " " + VERSION + "\n");
    }
    try {
      Command cmd = CommandLine.parse(family, "filter", args, nf.ipSets()::exists);
      TableName t = table(cmd.table());
      boolean exists = nf.exists(family, t);
      boolean oneChain = cmd.chain().isPresent() && (incremental || cmd.op() == Command.Op.CHECK);
      if (oneChain && ONE_CHAIN.contains(cmd.op())) {
        return oneChain(nf, family, t, cmd, exists);
      }
      TableDraft draft = TableDraft.of(nf.table(family, t));
      Executor.Outcome out =
          Executor.apply(cmd, draft, exists, 0, nf.nfacct().list().keySet()::contains);
      if (out.written()) {
        commit(nf, draft, cmd.op(), cmd.chain());
      }
      return ToolResult.ok(out.stdout());
    } catch (IptablesError e) {
      return ToolResult.fail(e.exitCode(), e.forCommand(program));
    } catch (IllegalArgumentException e) {
      // a value the netfilter model refuses that iptables would have taken: report, change nothing
      return ToolResult.fail(2, IptablesError.parameter(e.getMessage()).forCommand(program));
    }
  }

  /**
   * The commands that read or write only the chain they name (and check that a jump target exists):
   * they copy that chain alone and commit it with {@link Netfilter#commitChain}. {@code -N}, {@code
   * -X}, {@code -E}, and {@code -F}/{@code -Z} without a chain, stay on the whole-table path.
   */
  private static final java.util.Set<Command.Op> ONE_CHAIN =
      java.util.EnumSet.of(
          Command.Op.CHECK,
          Command.Op.APPEND,
          Command.Op.INSERT,
          Command.Op.REPLACE,
          Command.Op.DELETE,
          Command.Op.DELETE_NUM,
          Command.Op.FLUSH,
          Command.Op.ZERO,
          Command.Op.ZERO_NUM,
          Command.Op.SET_POLICY);

  private static ToolResult oneChain(
      Netfilter nf, IpFamily family, TableName t, Command cmd, boolean exists) {
    String chain = cmd.chain().orElseThrow();
    TableDraft draft = TableDraft.ofOnly(family, t, nf.chain(family, t, chain));
    cmd.jumpChain()
        .filter(j -> !j.equals(chain) && nf.hasChain(family, t, j))
        .ifPresent(draft::addUserChain); // a stand-in: the executor only asks whether it exists
    Executor.Outcome out =
        Executor.apply(cmd, draft, exists, 0, nf.nfacct().list().keySet()::contains);
    if (out.written()) {
      TableDraft.ChainDraft c = draft.chains.get(chain);
      try {
        if (!nf.commitChain(family, t, new Chain(c.name, c.policy, c.counters, c.rules))) {
          throw new IllegalStateException("iptables: chain " + chain + " vanished");
        }
        nf.setExists(family, t, true);
      } catch (RulesetException e) {
        throw kernelError(e, cmd.op(), chain);
      }
    }
    return ToolResult.ok(out.stdout());
  }

  /** The table named by {@code -t}, or the real tool's error for an unknown one. */
  static TableName table(String name) {
    return TableName.find(name)
        .orElseThrow(
            () ->
                new IptablesError(
                    IptablesError.Kind.VERSION,
                    "table '"
                        + name
                        + "' does not exist\nPerhaps iptables or your kernel needs to be upgraded."));
  }

  /** Installs a draft as the table, mapping the kernel's refusal to iptables-nft's message. */
  static void commit(
      Netfilter nf, TableDraft draft, Command.Op op, java.util.Optional<String> chain) {
    try {
      nf.commit(draft.toTable());
      nf.setExists(draft.family, draft.name, true);
    } catch (RulesetException e) {
      throw kernelError(e, op, chain.orElse(e.chain()));
    }
  }

  /** iptables-nft's report of a refused batch, naming the chain the command wrote to. */
  static IptablesError kernelError(RulesetException e, Command.Op op, String chain) {
    String what =
        switch (op) {
          case INSERT -> "RULE_INSERT";
          case REPLACE -> "RULE_REPLACE";
          default -> "RULE_APPEND";
        };
    String errno =
        e.getMessage().contains("Too many levels of symbolic links")
            ? "Too many links"
            : "Invalid argument";
    return IptablesError.kernel(" " + what + " failed (" + errno + "): rule in chain " + chain);
  }
}
