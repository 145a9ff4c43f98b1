package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Rule;
import java.util.List;
import java.util.Optional;

/**
 * One parsed iptables command line: what to do, on which table and chain, how to print, and (for
 * rule commands) the rules it names, one per source and destination address pair.
 *
 * @param table the {@code -t} name as given (checked when the command runs)
 * @param ruleNumber 1-based, 0 when none was given
 * @param argument the policy of {@code -P} or the new name of {@code -E}, else empty
 * @param jumpChain the chain a rule jumps or goes to, when its target is a chain
 */
record Command(
    Op op,
    boolean zeroToo,
    String table,
    Optional<String> chain,
    int ruleNumber,
    String argument,
    Format format,
    Optional<Counters> counters,
    List<Rule> rules,
    Optional<String> jumpChain) {

  /** The command letters ({@code CMD_*}), in the order iptables numbers them. */
  enum Op {
    INSERT('I'),
    DELETE('D'),
    DELETE_NUM('D'),
    REPLACE('R'),
    APPEND('A'),
    LIST('L'),
    FLUSH('F'),
    ZERO('Z'),
    NEW_CHAIN('N'),
    DELETE_CHAIN('X'),
    SET_POLICY('P'),
    RENAME_CHAIN('E'),
    LIST_RULES('S'),
    ZERO_NUM('Z'),
    CHECK('C');

    final char letter;

    Op(char letter) {
      this.letter = letter;
    }

    boolean isRuleCommand() {
      return this == APPEND || this == INSERT || this == DELETE || this == REPLACE || this == CHECK;
    }
  }

  /** The listing flags {@code -n -v -x --line-numbers}. */
  record Format(boolean numeric, boolean verbose, boolean exact, boolean lineNumbers) {}
}
