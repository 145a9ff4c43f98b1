package dev.podpath.kernel.walk;

import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import dev.podpath.net.trace.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One connection attempt of a probe: the fate of its first packet, where it was delivered and the
 * source the server saw, whether the answer got back to the client, and both traces. When explored,
 * {@code probability} is the exact probability of this outcome; sampled, 1.
 */
public record Attempt(
    Fate fate,
    Optional<Delivery> delivery,
    boolean answered,
    Trace forward,
    Optional<Trace> reply,
    double probability) {

  /**
   * The chains the attempt's packets went through, as {@code table/chain}, in the order they were
   * entered: a chain with a rule that matched or whose policy applied, and a chain jumped (or gone)
   * to even when none of its rules matched — the packet entered it and came back (LAB.md's "passed
   * through that chain"; kernel-lab reads the same from the jump rule's counter).
   */
  public List<String> chains() {
    return traces().stream().flatMap(t -> t.chains().stream()).distinct().toList();
  }

  /** The lines LOG rules wrote, forward then reply. */
  public List<String> logs() {
    return steps(Step.Log.class).map(Step.Log::line).collect(Collectors.toList());
  }

  /** The LOG prefixes that fired. */
  public List<String> logPrefixes() {
    return steps(Step.Log.class).map(Step.Log::prefix).collect(Collectors.toList());
  }

  /** The steps of one kind, forward trace then reply. */
  private <S extends Step> Stream<S> steps(Class<S> kind) {
    return traces().stream().flatMap(Trace::steps).filter(kind::isInstance).map(kind::cast);
  }

  private List<Trace> traces() {
    var out = new ArrayList<Trace>();
    out.add(forward);
    reply.ifPresent(out::add);
    return out;
  }
}
