package dev.podpath.kernel.netfilter.rule;

/**
 * A table that the kernel refuses as a whole (a jump to a missing chain, a loop, a target in a
 * table or hook it is not allowed in, an unknown ip set). Nothing was changed. The message names
 * the table, chain and rule.
 */
public final class RulesetException extends RuntimeException {

  private final String table;
  private final String chain;
  private final int ruleNumber;

  public RulesetException(String table, String chain, int ruleNumber, String message) {
    super(
        table
            + (chain.isEmpty() ? "" : "/" + chain)
            + (ruleNumber > 0 ? " rule " + ruleNumber : "")
            + ": "
            + message);
    this.table = table;
    this.chain = chain;
    this.ruleNumber = ruleNumber;
  }

  public String table() {
    return table;
  }

  /** The chain at fault, or empty. */
  public String chain() {
    return chain;
  }

  /** The rule at fault (1-based), or 0. */
  public int ruleNumber() {
    return ruleNumber;
  }
}
