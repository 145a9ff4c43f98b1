package dev.podpath.net.trace;

import java.util.List;
import java.util.stream.Stream;

/** The whole record of one packet's walk: the hops it made, and its fate. */
public record Trace(List<Hop> hops, Fate fate) {
  public Trace {
    hops = List.copyOf(hops);
  }

  /** Every step of every hop, in order. */
  public Stream<Step> steps() {
    return hops.stream().flatMap(h -> h.steps().stream());
  }

  /**
   * The chains the walk went through, as {@code table/chain}, in the order they were entered: a
   * chain where a rule matched or the policy applied, and the target of every jump or goto, which
   * the packet entered even when none of its rules matched (LAB.md's "passed through that chain";
   * on Linux, the jump rule's counter rose).
   */
  public List<String> chains() {
    return steps()
        .flatMap(s -> s instanceof Step.Rule r ? passed(r) : Stream.empty())
        .distinct()
        .toList();
  }

  private static Stream<String> passed(Step.Rule r) {
    String v = r.verdict();
    Stream<String> self = Stream.of(r.table() + "/" + r.chain());
    for (String word : List.of("jump ", "goto ")) {
      if (v.startsWith(word)) {
        return Stream.concat(self, Stream.of(r.table() + "/" + v.substring(word.length())));
      }
    }
    return self;
  }

  /** Whether the walk went through {@code chain} of {@code table} ({@link #chains}). */
  public boolean hitChain(String table, String chain) {
    return chains().contains(table + "/" + chain);
  }
}
