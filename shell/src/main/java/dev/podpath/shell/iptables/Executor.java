package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Policy;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.shell.iptables.TableDraft.ChainDraft;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Carries out one parsed command on a table draft, the way iptables-nft 1.8.9 does: the checks and
 * error messages of each command, and whether the table was written (and so exists after). Listing
 * commands return their text.
 */
final class Executor {

  /** What a command printed and whether it changed (and so created) the table. */
  record Outcome(String stdout, boolean written) {}

  private final Command cmd;
  private final TableDraft draft;
  private final boolean exists;
  private final int line;
  private final Predicate<String> nfacctExists;

  private Executor(
      Command cmd, TableDraft draft, boolean exists, int line, Predicate<String> nfacctExists) {
    this.nfacctExists = nfacctExists;
    this.cmd = cmd;
    this.draft = draft;
    this.exists = exists;
    this.line = line;
  }

  /**
   * Applies {@code cmd} to {@code draft}; {@code exists} says whether the table existed before (a
   * table that does not has no chains for -D, -R, -Z, -X, -E to find); {@code line} is the restore
   * input line the rules came from, or 0; {@code -m nfacct} needs an existing object.
   */
  static Outcome apply(
      Command cmd, TableDraft draft, boolean exists, int line, Predicate<String> nfacctExists) {
    return new Executor(cmd, draft, exists, line, nfacctExists).run();
  }

  private Optional<ChainDraft> existing(String name) {
    return exists ? draft.chain(name) : Optional.empty();
  }

  private ChainDraft required(String name) {
    return existing(name).orElseThrow(IptablesError::noSuchChain);
  }

  private Outcome run() {
    String chain = cmd.chain().orElse("");
    if (line == 0
        && cmd.op().isRuleCommand()
        && cmd.op() != Command.Op.DELETE
        && cmd.op() != Command.Op.CHECK) {
      cmd.jumpChain()
          .ifPresent(
              j -> {
                if (draft.chain(j).isEmpty()) {
                  throw IptablesError.parameter("Chain '" + j + "' does not exist");
                }
              });
    }
    for (Rule r : cmd.rules()) {
      for (Match m : r.matches()) {
        boolean anyInverted =
            m instanceof Match.Source s && s.inverted() && s.prefix().length() == 0
                || m instanceof Match.Destination d && d.inverted() && d.prefix().length() == 0;
        if (anyInverted
            && (cmd.op() == Command.Op.APPEND
                || cmd.op() == Command.Op.INSERT
                || cmd.op() == Command.Op.REPLACE)) {
          // nf_tables refuses a comparison with an all-zero mask ("! -s 0.0.0.0/0")
          throw IptablesError.kernel(
              " " + kernelOp() + " failed (Invalid argument): rule in chain " + chain);
        }
        if (m instanceof Match.Nfacct n
            && !nfacctExists.test(n.name())
            && (cmd.op() == Command.Op.APPEND
                || cmd.op() == Command.Op.INSERT
                || cmd.op() == Command.Op.REPLACE)) {
          throw IptablesError.kernel(
              " " + kernelOp() + " failed (No such file or directory): rule in chain " + chain);
        }
      }
    }
    Outcome o = execute(chain);
    if (cmd.format().verbose()) {
      StringBuilder sb = new StringBuilder(o.stdout());
      switch (cmd.op()) {
        case APPEND, INSERT, DELETE, REPLACE ->
            cmd.rules().forEach(r -> Listing.printRule(sb, draft.family, r));
        case FLUSH ->
            chainsNamed().forEach(c -> sb.append("Flushing chain `").append(c).append("'\n"));
        case ZERO ->
            chainsNamed().forEach(c -> sb.append("Zeroing chain `").append(c).append("'\n"));
        default -> {}
      }
      sb.append(deleted);
      return new Outcome(sb.toString(), o.written());
    }
    return o;
  }

  private final StringBuilder deleted = new StringBuilder();

  private List<String> chainsNamed() {
    return cmd.chain().map(List::of).orElseGet(() -> List.copyOf(draft.chains.keySet()));
  }

  private Outcome execute(String chain) {
    return switch (cmd.op()) {
      case APPEND -> {
        ChainDraft c = draft.chain(chain).orElseThrow(IptablesError::noSuchChain);
        for (Rule r : cmd.rules()) {
          c.add(c.rules.size(), TableDraft.withText(chain, r), line);
        }
        yield written();
      }
      case INSERT -> {
        ChainDraft c = draft.chain(chain).orElseThrow(IptablesError::noSuchChain);
        if (cmd.ruleNumber() > c.rules.size() + 1) {
          throw IptablesError.result("Index of insertion too big.");
        }
        for (Rule r : cmd.rules()) {
          c.add(cmd.ruleNumber() - 1, TableDraft.withText(chain, r), line);
        }
        yield written();
      }
      case REPLACE -> {
        ChainDraft c = required(chain);
        if (cmd.ruleNumber() > c.rules.size()) {
          throw IptablesError.result("Index of replacement too big.");
        }
        c.remove(cmd.ruleNumber() - 1);
        c.add(cmd.ruleNumber() - 1, TableDraft.withText(chain, cmd.rules().get(0)), line);
        yield written();
      }
      case DELETE, CHECK -> {
        ChainDraft c = existing(chain).orElseThrow(IptablesError::badRule);
        for (Rule r : cmd.rules()) {
          int i = find(c, r);
          if (i < 0) {
            throw IptablesError.badRule();
          }
          if (cmd.op() == Command.Op.DELETE) {
            c.remove(i);
          }
        }
        yield cmd.op() == Command.Op.DELETE ? written() : new Outcome("", false);
      }
      case DELETE_NUM -> {
        ChainDraft c = required(chain);
        if (cmd.ruleNumber() > c.rules.size()) {
          throw IptablesError.result("Index of deletion too big.");
        }
        c.remove(cmd.ruleNumber() - 1);
        yield written();
      }
      case LIST, LIST_RULES -> list();
      case FLUSH -> {
        if (cmd.chain().isPresent()) {
          draft.chain(chain).orElseThrow(IptablesError::noSuchChain).clear();
          yield written();
        }
        draft.chains.values().forEach(ChainDraft::clear);
        yield new Outcome("", exists);
      }
      case ZERO, ZERO_NUM -> {
        zero();
        yield new Outcome("", exists);
      }
      case NEW_CHAIN -> {
        if (draft.chain(chain).isPresent()) {
          throw IptablesError.result("Chain already exists.");
        }
        draft.addUserChain(chain);
        yield written();
      }
      case DELETE_CHAIN -> deleteChains(chain);
      case SET_POLICY -> {
        ChainDraft c =
            draft
                .chain(chain)
                .filter(ChainDraft::isBuiltin)
                .orElseThrow(() -> IptablesError.result("Bad built-in chain name."));
        if (!cmd.argument().equals("ACCEPT") && !cmd.argument().equals("DROP")) {
          throw IptablesError.result("Bad policy name. Run `dmesg' for more information.");
        }
        c.policy = Optional.of(Policy.valueOf(cmd.argument()));
        // iptables-nft takes -c with -P and sets nothing
        yield written();
      }
      case RENAME_CHAIN -> {
        if (draft.chain(cmd.argument()).isPresent()) {
          throw IptablesError.result("File exists.");
        }
        ChainDraft c = required(chain);
        if (c.isBuiltin()) {
          throw IptablesError.noSuchChain();
        }
        draft.rename(chain, cmd.argument());
        yield written();
      }
    };
  }

  private String kernelOp() {
    return switch (cmd.op()) {
      case INSERT -> "RULE_INSERT";
      case REPLACE -> "RULE_REPLACE";
      default -> "RULE_APPEND";
    };
  }

  private static Outcome written() {
    return new Outcome("", true);
  }

  private static int find(ChainDraft c, Rule r) {
    for (int i = 0; i < c.rules.size(); i++) {
      if (c.rules.get(i).sameAs(r)) {
        return i;
      }
    }
    return -1;
  }

  private Outcome list() {
    List<ChainDraft> chains = new ArrayList<>();
    if (cmd.chain().isPresent()) {
      String name = cmd.chain().get();
      chains.add(
          draft
              .chain(name)
              .orElseThrow(
                  () ->
                      new IptablesError(
                          IptablesError.Kind.OTHER,
                          "chain `"
                              + name
                              + "' in table `"
                              + draft.name.iptablesName()
                              + "' is incompatible, use 'nft' tool.")));
    } else {
      chains.addAll(draft.chains.values());
    }
    String out =
        cmd.op() == Command.Op.LIST
            ? Listing.list(draft, chains, cmd.ruleNumber(), cmd.format())
            : Listing.rules(
                chains, cmd.ruleNumber(), cmd.format().verbose(), cmd.chain().isPresent());
    if (cmd.zeroToo()) {
      zero();
    }
    return new Outcome(out, cmd.zeroToo() && exists);
  }

  private void zero() {
    List<ChainDraft> chains = new ArrayList<>();
    if (cmd.chain().isPresent()) {
      chains.add(required(cmd.chain().get()));
    } else {
      chains.addAll(draft.chains.values());
    }
    for (ChainDraft c : chains) {
      for (int i = 0; i < c.rules.size(); i++) {
        if (cmd.op() != Command.Op.ZERO_NUM || i == cmd.ruleNumber() - 1) {
          c.rules.set(i, c.rules.get(i).withCounters(Counters.ZERO));
        }
      }
      if (cmd.op() != Command.Op.ZERO_NUM) {
        c.counters = Counters.ZERO;
      }
    }
  }

  private Outcome deleteChains(String chain) {
    List<ChainDraft> doomed = new ArrayList<>();
    if (cmd.chain().isPresent()) {
      doomed.add(required(chain));
    } else {
      draft.chains.values().stream().filter(c -> !c.isBuiltin()).forEach(doomed::add);
    }
    for (ChainDraft c : doomed) {
      if (c.isBuiltin() || !c.rules.isEmpty() || draft.references(c.name) > 0) {
        throw IptablesError.kernel(" CHAIN_DEL failed (Device or resource busy): chain " + c.name);
      }
    }
    doomed.forEach(
        c -> {
          draft.removeChain(c.name);
          deleted.append("Deleting chain `").append(c.name).append("'\n");
        });
    return new Outcome("", exists);
  }
}
