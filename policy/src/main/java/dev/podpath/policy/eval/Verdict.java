package dev.podpath.policy.eval;

import dev.podpath.policy.model.ConnectionSet;
import dev.podpath.policy.model.Direction;
import dev.podpath.policy.model.Rule;
import java.util.List;

/**
 * Why one direction of a flow is allowed: the policies that select the subject (the source for
 * egress, the destination for ingress) and the rules that admit the other side.
 *
 * @param selecting keys ({@code ns/name}) of the policies that isolate the subject; empty when the
 *     subject is not isolated in this direction, which allows everything
 * @param admitting the rules whose peers match the other side, with what each allows
 * @param allowed the union of the admitting rules (all connections when not isolated)
 */
public record Verdict(
    Direction direction, List<String> selecting, List<RuleHit> admitting, ConnectionSet allowed) {

  /** One rule that matched the peer, with the connections it allows on this flow. */
  public record RuleHit(String policy, Rule rule, ConnectionSet allowed) {
    @Override
    public String toString() {
      return "NetworkPolicy '"
          + policy
          + "' "
          + rule.direction().apiName()
          + " rule #"
          + rule.number()
          + " allows "
          + allowed;
    }
  }

  public Verdict {
    selecting = List.copyOf(selecting);
    admitting = List.copyOf(admitting);
  }

  public boolean isolated() {
    return !selecting.isEmpty();
  }
}
