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

  /** Whether the walk went through {@code chain} of {@code table} (any rule or its policy). */
  public boolean hitChain(String table, String chain) {
    return steps()
        .anyMatch(
            s -> s instanceof Step.Rule r && r.table().equals(table) && r.chain().equals(chain));
  }
}
