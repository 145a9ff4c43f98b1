package dev.podpath.policy.enforce;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** An {@link Iptables} that records what it was asked to do, for tests and dry runs. */
public final class RecordingIptables implements Iptables {
  private final Set<String> jumps = new LinkedHashSet<>();
  private final List<String> restores = new ArrayList<>();

  @Override
  public void ensureFirst(NodeRuleset.JumpRule rule) {
    jumps.add(rule.table() + " " + rule.saveText());
  }

  @Override
  public void restoreNoFlush(String text) {
    restores.add(text);
  }

  /** The distinct jump rules ensured, as {@code TABLE -A CHAIN ARGS}. */
  public Set<String> jumps() {
    return Set.copyOf(jumps);
  }

  /** Every restore text applied, in order. */
  public List<String> restores() {
    return List.copyOf(restores);
  }
}
